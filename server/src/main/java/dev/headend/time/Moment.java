package dev.headend.time;

import java.time.Duration;

/**
 * A point on the server's monotonic clock, in nanoseconds from an arbitrary origin. Moments
 * only mean something relative to each other: they never jump when the wall clock is set, and
 * they are never shown; {@link TimeSource#wallTime} turns one into a date for display.
 *
 * <p>Invariant: comparisons and differences are exact as long as two moments are less than
 * about 292 years apart (the range of a {@code long} of nanoseconds).
 */
public record Moment(long nanos) implements Comparable<Moment> {

    public Moment plus(Duration d) {
        return new Moment(nanos + d.toNanos());
    }

    public Moment minus(Duration d) {
        return new Moment(nanos - d.toNanos());
    }

    public boolean isBefore(Moment other) {
        return nanos - other.nanos < 0;
    }

    public boolean isAfter(Moment other) {
        return nanos - other.nanos > 0;
    }

    /** The time from this moment to {@code later} (negative when {@code later} is earlier). */
    public Duration until(Moment later) {
        return Duration.ofNanos(later.nanos - nanos);
    }

    /** The later of the two. */
    public static Moment latest(Moment a, Moment b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public int compareTo(Moment other) {
        return Long.signum(nanos - other.nanos);
    }

    @Override
    public String toString() {
        return "Moment[" + nanos + " ns]";
    }
}
