package dev.headend.channel;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured channels, in configuration order. Immutable. */
public final class ChannelCatalog {
    private final Map<String, Channel> byId;

    public ChannelCatalog(List<Channel> channels) {
        Map<String, Channel> m = LinkedHashMap.newLinkedHashMap(channels.size());
        channels.forEach(c -> m.put(c.id(), c));
        this.byId = java.util.Collections.unmodifiableMap(m);
    }

    public Optional<Channel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Channel> all() {
        return byId.values();
    }
}
