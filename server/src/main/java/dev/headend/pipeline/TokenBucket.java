package dev.headend.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket that never blocks: {@code capacity} tokens, refilled at {@code tokensPerSecond}
 * by the clock. It keeps no token count but the instant at which the bucket will be full again
 * (the virtual-scheduling form of the algorithm), so a token may be reserved ahead of time and
 * the caller waits for it.
 *
 * <p>Invariants: the reserved tokens fall due no more than {@code capacity + tokensPerSecond × t}
 * within any interval of length {@code t}; a refused reservation changes nothing; when the clock
 * steps back, the schedule moves back with it, so a wall-clock correction never stalls spawning.
 */
final class TokenBucket {
    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final long intervalNanos;
    private final long capacity;
    private Instant fullAt;
    private Instant lastSeen;

    TokenBucket(double tokensPerSecond, int capacity, Clock clock) {
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokens per second must be positive: " + tokensPerSecond);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.clock = clock;
        this.intervalNanos = Math.max(1, Math.round(1e9 / tokensPerSecond));
        this.capacity = capacity;
        this.fullAt = clock.instant();
        this.lastSeen = fullAt;
    }

    /**
     * Takes a token that is available now or within {@code maxWait}.
     *
     * @return the wait until the token is available ({@link Duration#ZERO} when it is available
     *     now), or empty when it would come later than {@code maxWait}; then nothing is taken
     */
    Optional<Duration> reserve(Duration maxWait) {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (now.isBefore(lastSeen)) {
                fullAt = fullAt.minus(Duration.between(now, lastSeen));
            }
            lastSeen = now;
            Instant next = (fullAt.isAfter(now) ? fullAt : now).plusNanos(intervalNanos);
            Duration wait = Duration.between(now, next.minusNanos(capacity * intervalNanos));
            if (wait.compareTo(maxWait) > 0) {
                return Optional.empty();
            }
            fullAt = next;
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } finally {
            lock.unlock();
        }
    }
}
