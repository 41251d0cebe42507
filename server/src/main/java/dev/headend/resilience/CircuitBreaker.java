package dev.headend.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's circuit breaker. CLOSED counts failures in a sliding window; {@code failureLimit}
 * of them within {@code failureWindow} open it for {@code openPeriod}. The first pipeline run after
 * the open period is the single probe: its first segment closes the breaker, its failure reopens it
 * at once for another open period.
 *
 * <p>Invariants: a CLOSED breaker holds only failures younger than {@code failureWindow}, and fewer
 * than {@code failureLimit} of them; OPEN and HALF_OPEN hold no failures (opening consumes them, a
 * success forgets them). Once the open period is over, the next run is the probe whether or not
 * {@link #onAttempt} announced it. Not thread-safe: used under {@link RestartPolicy}'s lock.
 */
final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    private sealed interface Phase permits Closed, Open, HalfOpen {}

    private record Closed(List<Instant> recentFailures) implements Phase {}

    private record Open(Instant until) implements Phase {
        boolean isOver(Instant now) {
            return !now.isBefore(until);
        }
    }

    private record HalfOpen() implements Phase {}

    private final String channelId;
    private final int failureLimit;
    private final Duration failureWindow;
    private final Duration openPeriod;
    private Phase phase = new Closed(List.of());

    CircuitBreaker(String channelId, int failureLimit, Duration failureWindow, Duration openPeriod) {
        this.channelId = channelId;
        this.failureLimit = failureLimit;
        this.failureWindow = failureWindow;
        this.openPeriod = openPeriod;
    }

    /**
     * Records a failed run and returns the end of the open period when the breaker is open after it.
     * A failure during a running open period changes nothing.
     */
    Optional<Instant> recordFailure(Instant now) {
        return switch (phase) {
            case Closed closed -> countFailure(closed, now);
            case Open open when !open.isOver(now) -> Optional.of(open.until());
            case Open open -> Optional.of(reopen(now, "the first run after the open period failed"));
            case HalfOpen halfOpen -> Optional.of(reopen(now, "the half-open probe failed"));
        };
    }

    /** The end of the open period while it is running; empty otherwise. */
    Optional<Instant> blockedUntil(Instant now) {
        return phase instanceof Open open && !open.isOver(now) ? Optional.of(open.until()) : Optional.empty();
    }

    /** A scheduled restart happens: after the open period it becomes the half-open probe. */
    void onAttempt(Instant now) {
        switch (phase) {
            case Open open when open.isOver(now) -> {
                phase = new HalfOpen();
                log.info("channel {}: circuit half-open, letting one probe attempt through", channelId);
            }
            case Open open -> log.warn("channel {}: restart attempted while the circuit is open until {}; "
                    + "it stays open", channelId, open.until());
            case HalfOpen halfOpen -> log.warn("channel {}: another attempt while the half-open probe is pending; "
                    + "the probe continues", channelId);
            case Closed closed -> log.debug("channel {}: restart attempt with the circuit closed", channelId);
        }
    }

    /** The running pipeline produced its first segment: the probe, if any, succeeded. */
    void onSuccess(Instant now) {
        switch (phase) {
            case HalfOpen halfOpen -> close("the half-open probe produced a segment");
            case Open open when open.isOver(now) -> close("the first run after the open period produced a segment");
            case Open open -> log.warn("channel {}: success reported while the circuit is open until {}; it stays open",
                    channelId, open.until());
            case Closed closed -> log.debug("channel {}: success with the circuit closed, {} recent failures kept",
                    channelId, closed.recentFailures().size());
        }
    }

    CircuitState state() {
        return switch (phase) {
            case Closed closed -> CircuitState.CLOSED;
            case Open open -> CircuitState.OPEN;
            case HalfOpen halfOpen -> CircuitState.HALF_OPEN;
        };
    }

    private Optional<Instant> countFailure(Closed closed, Instant now) {
        Instant horizon = now.minus(failureWindow);
        List<Instant> failures = new ArrayList<>(closed.recentFailures());
        failures.removeIf(failure -> !failure.isAfter(horizon));
        failures.add(now);
        if (failures.size() >= failureLimit) {
            return Optional.of(reopen(now, failures.size() + " failures within " + failureWindow));
        }
        phase = new Closed(List.copyOf(failures));
        log.debug("channel {}: failure {} of {} within {}", channelId, failures.size(), failureLimit, failureWindow);
        return Optional.empty();
    }

    private Instant reopen(Instant now, String why) {
        Instant until = now.plus(openPeriod);
        phase = new Open(until);
        log.warn("channel {}: circuit open until {}: {}", channelId, until, why);
        return until;
    }

    private void close(String why) {
        phase = new Closed(List.of());
        log.info("channel {}: circuit closed, failures forgotten: {}", channelId, why);
    }
}
