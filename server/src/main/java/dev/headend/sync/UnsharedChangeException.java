package dev.headend.sync;

import java.time.Duration;

/** A change through the API refused because the cluster could not be told of it; nothing changed. */
public final class UnsharedChangeException extends RuntimeException {
    private final transient Duration retryAfter;

    public UnsharedChangeException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
