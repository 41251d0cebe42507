package dev.headend.events;

import java.time.Duration;

/**
 * The wait before the next delivery attempt: exponential from {@code base}, capped at {@code
 * cap}, with equal jitter (half fixed, half random) so receivers coming back are not hit by
 * every retry at once. Pure.
 */
public record Backoff(Duration base, Duration cap) {
    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
        }
    }

    /**
     * @param failures failed attempts so far (at least 1)
     * @param random a number in [0, 1)
     */
    public Duration delay(int failures, double random) {
        long baseMs = base.toMillis();
        long capMs = cap.toMillis();
        int doublings = Math.min(Math.max(failures, 1) - 1, 40);
        long full = baseMs > capMs >> doublings ? capMs : Math.min(capMs, baseMs << doublings);
        long half = full / 2;
        return Duration.ofMillis(full - half + (long) (random * half));
    }
}
