package dev.headend.catalog;

import java.util.List;

/** Where channels created through the API are kept. Each call is one transaction. */
public interface ChannelStore {
    /** Every stored channel, in the order they were created. */
    List<StoredChannel> all();

    /** Adds channels in one transaction, in their order; none of their ids is stored yet. */
    void insertAll(List<StoredChannel> channels);

    /** Replaces a stored channel's definition and version. */
    void update(StoredChannel channel);

    void delete(String id);
}
