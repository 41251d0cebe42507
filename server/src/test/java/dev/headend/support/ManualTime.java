package dev.headend.support;

import dev.headend.time.Moment;
import dev.headend.time.Scheduler;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock and a scheduler that only move when the test moves them. {@link #advance} runs every
 * task that falls due on the way, in order of due time (then of scheduling), on the test's
 * thread, with the clock set to each task's due time while it runs; periodic tasks come back.
 * The wall clock moves with the monotonic one, from where the test starts it.
 */
public final class ManualTime implements TimeSource, Scheduler {
    /** The wall-clock date the manual time starts at. */
    public static final Instant START_WALL = Instant.parse("2030-01-01T12:00:00Z");
    /** Where the monotonic clock starts: an arbitrary origin, as on a real machine. */
    private static final long START_NANOS = 5_000_000_000_000L;

    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final Instant wallStart;
    private long nanos = START_NANOS;
    private long sequence;

    /** Starts at {@link #START_WALL}. */
    public ManualTime() {
        this(START_WALL);
    }

    /** Starts with the wall clock at {@code wallStart}. */
    public ManualTime(Instant wallStart) {
        this.wallStart = wallStart;
    }

    private final class Entry implements Comparable<Entry>, Task {
        final long seq = sequence++;
        final Runnable work;
        final long period;
        long due;
        boolean cancelled;

        Entry(long due, long period, Runnable work) {
            this.due = due;
            this.period = period;
            this.work = work;
        }

        @Override
        public int compareTo(Entry o) {
            int byDue = Long.compare(due, o.due);
            return byDue != 0 ? byDue : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            synchronized (ManualTime.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    /** The moment the clock started at. */
    public Moment start() {
        return new Moment(START_NANOS);
    }

    /** The moment {@code offset} after the start. */
    public Moment at(Duration offset) {
        return start().plus(offset);
    }

    /** How long since the start. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos - START_NANOS);
    }

    @Override
    public synchronized Moment now() {
        return new Moment(nanos);
    }

    @Override
    public synchronized Instant wallClock() {
        return wallStart.plusNanos(nanos - START_NANOS);
    }

    @Override
    public synchronized Task schedule(Duration delay, Runnable work) {
        Entry e = new Entry(nanos + Math.max(0, delay.toNanos()), 0, work);
        queue.add(e);
        return e;
    }

    @Override
    public synchronized Task repeat(Duration period, Runnable work) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Entry e = new Entry(nanos + period.toNanos(), period.toNanos(), work);
        queue.add(e);
        return e;
    }

    /** Moves the clock forward by {@code by}, running every task due on the way. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nanos + by.toNanos();
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    nanos = target;
                    return;
                }
                queue.poll();
                nanos = Math.max(nanos, next.due);
                if (next.period > 0) {
                    next.due += next.period;
                    queue.add(next);
                }
            }
            next.work.run();
        }
    }

    /** Moves the clock forward to {@code moment}, running every task due on the way. */
    public void advanceTo(Moment moment) {
        Duration by = now().until(moment);
        if (by.isNegative()) {
            throw new IllegalArgumentException("a monotonic clock does not go back");
        }
        advance(by);
    }

    /** Runs the tasks due now (those scheduled without delay). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks waiting, periodic ones included. */
    public synchronized int pending() {
        return queue.size();
    }
}
