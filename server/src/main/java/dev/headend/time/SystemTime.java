package dev.headend.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The machine's clocks: {@link System#nanoTime()} and {@link Instant#now()}.
 *
 * <p>Moments are shown as dates through one anchor (a date and the moment it was read at), so
 * two moments a given time apart are always shown that time apart, however far apart the
 * conversions happen. The anchor is taken again when the wall clock has moved more than {@link
 * #RESYNC} against the monotonic one (a correction, or a slow drift), so dates shown never stray
 * further than that from the wall clock.
 */
final class SystemTime implements TimeSource {
    static final SystemTime INSTANCE = new SystemTime();
    private static final Duration RESYNC = Duration.ofSeconds(1);

    /** A date and the monotonic time it was read at. */
    private record Anchor(Instant wall, long nanos) {}

    private volatile Anchor anchor = read();

    private SystemTime() {}

    @Override
    public Moment now() {
        return new Moment(System.nanoTime());
    }

    @Override
    public Instant wallClock() {
        return Instant.now();
    }

    @Override
    public Instant wallTime(Moment moment) {
        Anchor a = anchor;
        Anchor fresh = read();
        Duration drift = Duration.between(a.wall().plusNanos(fresh.nanos() - a.nanos()), fresh.wall()).abs();
        if (drift.compareTo(RESYNC) > 0) {
            a = fresh;
            anchor = fresh;
        }
        return a.wall().plusNanos(moment.nanos() - a.nanos());
    }

    private static Anchor read() {
        long nanos = System.nanoTime();
        return new Anchor(Instant.now(), nanos);
    }
}
