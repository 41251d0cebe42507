package dev.headend.time;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The machine's clocks: {@link System#nanoTime()} and {@link Instant#now()}.
 *
 * <p>Moments are shown as dates through one anchor (a date and the moment it was read at), so
 * two moments a given time apart are shown exactly that time apart, however far apart the
 * conversions happen. Each conversion reads both clocks again; when the wall clock has moved
 * against the monotonic one by more than {@link #RESYNC} beyond what the reads can tell apart (a
 * correction, a step after the machine was paused, a slew), the anchor is taken again, so a date
 * shown is never further than that from the wall clock.
 *
 * <p>A reading brackets the wall clock between two monotonic reads and keeps the tightest of a
 * few tries: a read the scheduler interrupted, or the clock code's slow first call, would
 * otherwise put the anchor off by the length of the interruption.
 */
final class SystemTime implements TimeSource {
    static final SystemTime INSTANCE = new SystemTime(System::nanoTime, Instant::now);
    static final Duration RESYNC = Duration.ofMillis(1);
    private static final int READ_TRIES = 5;
    private static final long TIGHT_NANOS = 20_000;

    /**
     * A date and the monotonic time it was read at, give or take {@code uncertaintyNanos / 2}.
     */
    private record Anchor(Instant wall, long nanos, long uncertaintyNanos) {}

    private final LongSupplier monotonic;
    private final Supplier<Instant> wall;
    private volatile Anchor anchor;

    SystemTime(LongSupplier monotonic, Supplier<Instant> wall) {
        this.monotonic = monotonic;
        this.wall = wall;
        this.anchor = read();
    }

    @Override
    public Moment now() {
        return new Moment(monotonic.getAsLong());
    }

    @Override
    public Instant wallClock() {
        return wall.get();
    }

    @Override
    public Instant wallTime(Moment moment) {
        Anchor a = anchor;
        Anchor fresh = read();
        Duration drift = Duration.between(a.wall().plusNanos(fresh.nanos() - a.nanos()), fresh.wall()).abs();
        long indistinct = (a.uncertaintyNanos() + fresh.uncertaintyNanos()) / 2;
        if (drift.minusNanos(indistinct).compareTo(RESYNC) > 0) {
            a = fresh;
            anchor = fresh;
        }
        return a.wall().plusNanos(moment.nanos() - a.nanos());
    }

    private Anchor read() {
        Anchor best = null;
        for (int i = 0; i < READ_TRIES && (best == null || best.uncertaintyNanos() > TIGHT_NANOS); i++) {
            long before = monotonic.getAsLong();
            Instant date = wall.get();
            long gap = monotonic.getAsLong() - before;
            if (best == null || gap < best.uncertaintyNanos()) {
                best = new Anchor(date, before + gap / 2, gap);
            }
        }
        return best;
    }
}
