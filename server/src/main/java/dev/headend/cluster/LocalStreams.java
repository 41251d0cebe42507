package dev.headend.cluster;

import java.util.Optional;
import java.util.Set;

/** The streams running on this node, as the cluster node needs them (the root adapts the stream manager). */
public interface LocalStreams {
    /** The channels whose stream runs here (not yet ended). */
    Set<String> running();

    /** Viewers of every stream here. */
    int viewers();

    /** Stops the channel's stream here, when it runs. */
    void stop(String channelId, String reason);

    /** Where a stream's numbering stands: its next media sequence and its discontinuity sequence. */
    record Numbering(long nextSequence, long discontinuitySequence) {}

    /**
     * Starts the channel's stream here, in the background, as a standby for a hand-over (the
     * cluster node grants it without a lease, {@link ClusterNode#claim}), its numbering continuing
     * {@code from} when given.
     */
    void prepare(String channelId, Optional<Numbering> from);

    /** The numbering of the channel's stream running here, if one runs. */
    Optional<Numbering> numbering(String channelId);

    /**
     * Whether the channel's stream here has a segment in its playlist. Asked of a standby stream at
     * every check until it is ready, and counted as a viewer's visit, so that a stream nobody
     * watches yet is not stopped as idle while it waits for its hand-over.
     */
    boolean ready(String channelId);
}
