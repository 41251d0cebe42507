package dev.headend.resilience;

import dev.headend.time.Moment;
import java.time.Duration;
import java.util.Optional;

/**
 * One channel's restart history: its last restart, the restart it has reserved but not reached
 * yet, and its circuit breaker.
 *
 * <p>Invariants: {@code pendingRestart}, when set, is later than the last decision time and holds a
 * slot in the {@link RestartThrottle}; a channel holds at most one pending restart, so a newer
 * decision supersedes it. Not thread-safe: used under {@link RestartPolicy}'s lock.
 */
final class ChannelRestarts {
    private final CircuitBreaker breaker;
    private Moment lastRestart;
    private Moment pendingRestart;

    ChannelRestarts(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Brings the history up to {@code now}: a pending restart whose time has come becomes the last
     * restart; one still in the future is abandoned and returned so its throttle slot can be freed.
     */
    Optional<Moment> settle(Moment now) {
        Moment pending = pendingRestart;
        pendingRestart = null;
        if (pending == null) {
            return Optional.empty();
        }
        if (pending.isAfter(now)) {
            return Optional.of(pending);
        }
        lastRestart = pending;
        return Optional.empty();
    }

    /** The end of the cooldown that started with the last restart, when it is still running. */
    Optional<Moment> cooldownEnd(Duration cooldown, Moment now) {
        return Optional.ofNullable(lastRestart).map(last -> last.plus(cooldown)).filter(end -> end.isAfter(now));
    }

    Optional<Moment> lastRestart() {
        return Optional.ofNullable(lastRestart);
    }

    /** Records the restart just decided, at its reserved slot. */
    void scheduled(Moment at, Moment now) {
        if (at.isAfter(now)) {
            pendingRestart = at;
        } else {
            lastRestart = at;
        }
    }
}
