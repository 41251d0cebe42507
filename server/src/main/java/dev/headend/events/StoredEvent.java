package dev.headend.events;

import java.util.Optional;

/** An event as the journal holds it: its sequence, what filters look at, and its envelope's JSON text. */
public record StoredEvent(long sequence, String type, Optional<String> channelId, String json) {
    static StoredEvent of(Event e) {
        return new StoredEvent(e.sequence(), e.type(), e.channelId(), e.toJson().toString());
    }
}
