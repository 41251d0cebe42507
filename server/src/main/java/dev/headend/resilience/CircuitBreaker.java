package dev.headend.resilience;

import dev.headend.time.Moment;
import java.time.Duration;
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
 * {@link #onAttempt} announced it, so the state reported for it is HALF_OPEN. Not thread-safe: used
 * under {@link RestartPolicy}'s lock.
 */
final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    private sealed interface Phase permits Closed, Open, HalfOpen {}

    private record Closed(List<Moment> recentFailures) implements Phase {}

    private record Open(Moment until) implements Phase {
        boolean isOver(Moment now) {
            return !now.isBefore(until);
        }
    }

    private record HalfOpen() implements Phase {}

    private final String channelId;
    private int failureLimit;
    private Duration failureWindow;
    private Duration openPeriod;
    private Phase phase = new Closed(List.of());

    CircuitBreaker(String channelId, int failureLimit, Duration failureWindow, Duration openPeriod) {
        this.channelId = channelId;
        this.failureLimit = failureLimit;
        this.failureWindow = failureWindow;
        this.openPeriod = openPeriod;
    }

    /**
     * New limits for the failures and openings from now on: a running open period keeps its end,
     * and the failures already counted are judged by the new window and limit at the next one.
     */
    void limits(int failureLimit, Duration failureWindow, Duration openPeriod) {
        this.failureLimit = failureLimit;
        this.failureWindow = failureWindow;
        this.openPeriod = openPeriod;
    }

    /**
     * Records a failed run and returns the end of the open period when the breaker is open after it.
     * A failure during a running open period changes nothing.
     */
    Optional<Moment> recordFailure(Moment now) {
        return switch (phase) {
            case Closed closed -> countFailure(closed, now);
            case Open open when !open.isOver(now) -> Optional.of(open.until());
            case Open open -> Optional.of(reopen(now, "the first run after the open period failed"));
            case HalfOpen halfOpen -> Optional.of(reopen(now, "the half-open probe failed"));
        };
    }

    /** The end of the open period while it is running; empty otherwise. */
    Optional<Moment> blockedUntil(Moment now) {
        return phase instanceof Open open && !open.isOver(now) ? Optional.of(open.until()) : Optional.empty();
    }

    /** A scheduled restart happens: after the open period it becomes the half-open probe. */
    void onAttempt(Moment now) {
        switch (phase) {
            case Open open when open.isOver(now) -> {
                phase = new HalfOpen();
                log.info("channel {}: circuit half-open, letting one probe attempt through", channelId);
            }
            case Open open -> log.warn("channel {}: restart attempted while the circuit is open for {} ms more; "
                    + "it stays open", channelId, now.until(open.until()).toMillis());
            case HalfOpen halfOpen -> log.warn("channel {}: another attempt while the half-open probe is pending; "
                    + "the probe continues", channelId);
            case Closed closed -> log.debug("channel {}: restart attempt with the circuit closed", channelId);
        }
    }

    /** The running pipeline produced its first segment: the probe, if any, succeeded. */
    void onSuccess(Moment now) {
        switch (phase) {
            case HalfOpen halfOpen -> close("the half-open probe produced a segment");
            case Open open when open.isOver(now) -> close("the first run after the open period produced a segment");
            case Open open -> log.warn("channel {}: success reported while the circuit is open for {} ms more; it "
                    + "stays open", channelId, now.until(open.until()).toMillis());
            case Closed closed -> log.debug("channel {}: success with the circuit closed, {} recent failures kept",
                    channelId, closed.recentFailures().size());
        }
    }

    /** The state as the breaker would act on it at {@code now}: an open period that is over reads HALF_OPEN. */
    CircuitState state(Moment now) {
        return switch (phase) {
            case Closed closed -> CircuitState.CLOSED;
            case Open open when open.isOver(now) -> CircuitState.HALF_OPEN;
            case Open open -> CircuitState.OPEN;
            case HalfOpen halfOpen -> CircuitState.HALF_OPEN;
        };
    }

    private Optional<Moment> countFailure(Closed closed, Moment now) {
        Moment horizon = now.minus(failureWindow);
        List<Moment> failures = new ArrayList<>(closed.recentFailures());
        failures.removeIf(failure -> !failure.isAfter(horizon));
        failures.add(now);
        if (failures.size() >= failureLimit) {
            return Optional.of(reopen(now, failures.size() + " failures within " + failureWindow.toMillis() + " ms"));
        }
        phase = new Closed(List.copyOf(failures));
        log.debug("channel {}: failure {} of {} within {} ms", channelId, failures.size(), failureLimit,
                failureWindow.toMillis());
        return Optional.empty();
    }

    private Moment reopen(Moment now, String why) {
        Moment until = now.plus(openPeriod);
        phase = new Open(until);
        log.warn("channel {}: circuit open for {} ms: {}", channelId, openPeriod.toMillis(), why);
        return until;
    }

    private void close(String why) {
        phase = new Closed(List.of());
        log.info("channel {}: circuit closed, failures forgotten: {}", channelId, why);
    }
}
