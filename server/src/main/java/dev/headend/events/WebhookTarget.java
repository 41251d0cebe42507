package dev.headend.events;

import dev.headend.security.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One webhook receiver, as configured.
 *
 * @param id stable name (given, or derived from the URL), the key of its outbox rows
 * @param token sent as {@code Authorization: Bearer}
 * @param secret signs each delivery ({@link WebhookSignature})
 * @param events the types it receives; empty for all
 * @param timeout of one delivery attempt
 * @param origin where it was defined: the configuration file (read-only) or the API
 */
public record WebhookTarget(String id, URI url, Optional<Secret> token, Optional<Secret> secret, Set<String> events,
        Duration timeout, Origin origin) {
    /** Where a receiver was defined. */
    public enum Origin {
        /** The {@code webhooks:} list of the configuration file: changed only by editing the file. */
        FILE,
        /** Added through the API and kept in the store. */
        API;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WebhookTarget {
        events = Set.copyOf(events);
    }

    public boolean wants(String type) {
        return !type.equals("webhook_test") && (events.isEmpty() || events.contains(type));
    }
}
