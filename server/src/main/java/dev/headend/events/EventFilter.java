package dev.headend.events;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events a listener wants: some channels and some types; an empty set means any. Events
 * about the server (no channel) pass a channel filter only when it is empty.
 */
public record EventFilter(Set<String> channelIds, Set<String> types) {
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

    public EventFilter {
        channelIds = Set.copyOf(channelIds);
        types = Set.copyOf(types);
    }

    /**
     * The filter of comma-separated query values.
     *
     * @throws IllegalArgumentException naming an unknown type
     */
    public static EventFilter parse(Optional<String> channelIds, Optional<String> types) {
        Set<String> t = split(types);
        for (String type : t) {
            if (!EventData.TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown event type '" + type + "' (known: "
                        + String.join(", ", EventData.TYPES) + ")");
            }
        }
        return new EventFilter(split(channelIds), t);
    }

    private static Set<String> split(Optional<String> text) {
        return text.map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .collect(Collectors.toSet())).orElse(Set.of());
    }

    public boolean matches(String type, Optional<String> channelId) {
        return (types.isEmpty() || types.contains(type))
                && (channelIds.isEmpty() || channelId.map(channelIds::contains).orElse(false));
    }

    public boolean matches(StoredEvent e) {
        return matches(e.type(), e.channelId());
    }
}
