package dev.headend.sync;

import java.util.Locale;
import java.util.Optional;

/**
 * One thing a change set or removed, as every node applies it.
 *
 * @param kind what the key names
 * @param key a setting's key or a channel's id
 * @param value the new value (a setting's text, a channel's stored form); empty: reset or deleted
 */
public record SharedItem(Kind kind, String key, Optional<String> value) {
    /** What a shared item is. */
    public enum Kind {
        /** A server setting set (or reset) through the API. */
        SETTING,
        /** A channel created, changed (or deleted) through the API. */
        CHANNEL;

        /** The name in messages and Redis fields: {@code setting}, {@code channel}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code kind:key}, unique across kinds. */
    public String id() {
        return kind.label() + ":" + key;
    }

    public static SharedItem set(Kind kind, String key, String value) {
        return new SharedItem(kind, key, Optional.of(value));
    }

    public static SharedItem removed(Kind kind, String key) {
        return new SharedItem(kind, key, Optional.empty());
    }

    /** An item with the cluster-wide sequence number of the change that made it. */
    public record Versioned(SharedItem item, long seq) {}
}
