package dev.headend.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The server's two clocks: the monotonic one ({@link #now()}) that every window, cooldown,
 * timeout and rate is measured on, and the wall clock ({@link #wallClock()}) for dates that are
 * shown. Keeping them apart means a wall-clock correction (NTP, a manual change) never
 * shortens a cooldown or stalls a rate limiter.
 */
public interface TimeSource {

    /** The current moment on the monotonic clock. */
    Moment now();

    /** The current date and time, for display only. */
    Instant wallClock();

    /**
     * The date a moment falls on, by the wall clock (for display only). Two moments a given time
     * apart are shown that time apart.
     */
    default Instant wallTime(Moment moment) {
        Moment now = now();
        return wallClock().plus(Duration.ofNanos(moment.nanos() - now.nanos()));
    }

    /** {@link System#nanoTime()} and the system's UTC clock. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}
