package dev.headend.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.headend.security.Secrets;
import dev.headend.stream.StreamChange;
import java.util.Locale;

/** Turns stream changes into event payloads, masking every text; the JSON mapper of events. */
public final class Events {
    /** snake_case properties, like the API. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Events() {}

    static EventData of(StreamChange change) {
        return switch (change) {
            case StreamChange.Started s -> new EventData.StreamStarted(s.sourceIndex(), Secrets.mask(s.source()));
            case StreamChange.Ended e -> new EventData.StreamEnded(e.reason().name().toLowerCase(Locale.ROOT),
                    Secrets.mask(e.detail()));
            case StreamChange.Restarting r -> new EventData.StreamRestarting(Secrets.mask(r.reason()), r.restarts());
            case StreamChange.Recovered r -> new EventData.StreamRecovered(r.restarts());
            case StreamChange.Failed f -> new EventData.StreamFailed(Secrets.mask(f.reason()));
            case StreamChange.HealthChanged h -> new EventData.HealthChanged(
                    h.status().name().toLowerCase(Locale.ROOT), Secrets.mask(h.reason()));
            case StreamChange.CircuitOpened o -> new EventData.CircuitOpened();
            case StreamChange.CircuitClosed c -> new EventData.CircuitClosed();
            case StreamChange.SourceChanged s -> s.failback()
                    ? new EventData.Failback(s.fromIndex(), s.toIndex(), Secrets.mask(s.source()))
                    : new EventData.Failover(s.fromIndex(), s.toIndex(), Secrets.mask(s.source()));
        };
    }
}
