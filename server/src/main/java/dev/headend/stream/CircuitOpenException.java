package dev.headend.stream;

import java.time.Instant;

/** The channel's circuit breaker is open: no new pipeline until {@code until}. */
public final class CircuitOpenException extends Exception {
    private final Instant until;

    public CircuitOpenException(String channelId, Instant until) {
        super("channel " + channelId + " failed repeatedly; its circuit breaker is open until " + until);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
