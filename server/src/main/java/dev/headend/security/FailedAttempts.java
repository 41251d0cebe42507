package dev.headend.security;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed authentication attempts per client address and blocks an address that fails
 * too often: after {@link #LIMIT} failures within {@link #WINDOW}, every request from it is
 * refused until {@link #BLOCK} has passed since the last failure. A success clears the
 * address's record. Measured on the monotonic clock.
 *
 * <p>Invariant: at most {@link #MAX_ADDRESSES} addresses are remembered (the oldest are
 * forgotten first), so a flood from many addresses cannot exhaust memory. Thread-safe.
 */
public final class FailedAttempts {
    public static final int LIMIT = 10;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    public static final Duration BLOCK = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    /** One address's failures in the current window. */
    private record Record(Moment windowStart, int failures, Moment lastFailure) {}

    private final TimeSource time;
    private final Map<String, Record> byAddress = new LinkedHashMap<>();

    public FailedAttempts(TimeSource time) {
        this.time = time;
    }

    /** How long {@code address} must still wait, when it is blocked. */
    public synchronized Optional<Duration> blocked(String address) {
        Record r = byAddress.get(address);
        if (r == null || r.failures() < LIMIT) {
            return Optional.empty();
        }
        Duration left = time.now().until(r.lastFailure().plus(BLOCK));
        if (left.isNegative() || left.isZero()) {
            byAddress.remove(address);
            return Optional.empty();
        }
        return Optional.of(left);
    }

    public synchronized void failed(String address) {
        Moment now = time.now();
        Record r = byAddress.remove(address);
        if (r == null || (r.failures() < LIMIT && r.windowStart().plus(WINDOW).isBefore(now))) {
            r = new Record(now, 0, now);
        }
        byAddress.put(address, new Record(r.windowStart(), r.failures() + 1, now));
        for (Iterator<String> it = byAddress.keySet().iterator(); byAddress.size() > MAX_ADDRESSES; ) {
            it.next();
            it.remove();
        }
    }

    public synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** How many addresses are remembered. */
    synchronized int remembered() {
        return byAddress.size();
    }
}
