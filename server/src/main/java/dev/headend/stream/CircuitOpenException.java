package dev.headend.stream;

import java.time.Duration;
import java.time.Instant;

/** The channel's circuit breaker is open: no new pipeline until the open period ends. */
public final class CircuitOpenException extends Exception {
    private final Duration left;

    /**
     * @param until the end of the open period, by the wall clock (for the message)
     * @param left how long the open period still lasts
     */
    public CircuitOpenException(String channelId, Instant until, Duration left) {
        super("channel " + channelId + " failed repeatedly; its circuit breaker is open until " + until);
        this.left = left;
    }

    /** How long the open period still lasts. */
    public Duration left() {
        return left;
    }
}
