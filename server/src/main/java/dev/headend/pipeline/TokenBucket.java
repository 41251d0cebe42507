package dev.headend.pipeline;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket that never blocks: {@code capacity} tokens, refilled at {@code tokensPerSecond}
 * on the monotonic clock. It keeps no token count but the moment at which the bucket will be
 * full again (the virtual-scheduling form of the algorithm), so a token may be reserved ahead of
 * time and the caller waits for it.
 *
 * <p>Invariants: the reserved tokens fall due no more than {@code capacity + tokensPerSecond × t}
 * within any interval of length {@code t}; a refused reservation changes nothing.
 */
final class TokenBucket {
    private final ReentrantLock lock = new ReentrantLock();
    private final TimeSource time;
    private final Duration interval;
    private final Duration burst;
    private Moment fullAt;

    TokenBucket(double tokensPerSecond, int capacity, TimeSource time) {
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokens per second must be positive: " + tokensPerSecond);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.time = time;
        this.interval = Duration.ofNanos(Math.max(1, Math.round(1e9 / tokensPerSecond)));
        this.burst = interval.multipliedBy(capacity);
        this.fullAt = time.now();
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
            Moment now = time.now();
            Moment next = Moment.latest(fullAt, now).plus(interval);
            Duration wait = now.until(next.minus(burst));
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
