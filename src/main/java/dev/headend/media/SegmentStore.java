package dev.headend.media;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The in-memory segments of one stream, across all its pipeline runs.
 *
 * <p>Invariants: media sequence numbers are consecutive and never reused, also across pipeline
 * runs; the first segment of every run after the first carries a discontinuity; at most one
 * segment is open, and it is the newest; closed segments stay retrievable for {@code retain}
 * segments (the playlist window plus as many again), so a segment stays available for at
 * least a window's duration after it leaves the playlist. One writer (the current run's
 * segmenter) mutates under the lock; readers work from the volatile {@link #segments} list,
 * which is replaced, never mutated. Readers wait on a version counter, so a wake-up is never
 * lost: a reader that saw an older version does not wait.
 */
public final class SegmentStore {
    /**
     * Waiting TS readers are woken at most this often by appends (segment opens and closes
     * always wake them): FFmpeg flushes every packet, and waking thousands of readers per
     * packet would cost more than the few tens of milliseconds of latency this adds.
     */
    private static final long APPEND_SIGNAL_NANOS = 40_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int targetDuration;
    private final int window;
    private final int retain;
    private final Clock clock;
    private final Consumer<Segment> onClose;

    private volatile List<Segment> segments = List.of();
    private volatile boolean ended;
    private long nextSequence;
    private long discontinuitySequence;
    private boolean nextIsDiscontinuity;
    private long version;
    private long lastSignal;
    private Instant lastSegmentAt;

    /**
     * @param continuation where numbering starts: a channel's next sequence survives its streams
     * @param onClose called (outside no lock guarantees; keep it short) each time a segment closes
     */
    public SegmentStore(int targetDuration, int window, Continuation continuation, Clock clock,
            Consumer<Segment> onClose) {
        this.targetDuration = targetDuration;
        this.window = window;
        this.retain = window * 2 + 1;
        this.clock = clock;
        this.onClose = onClose;
        this.nextSequence = continuation.nextSequence();
        this.discontinuitySequence = continuation.discontinuitySequence();
        this.nextIsDiscontinuity = continuation.nextSequence() > 0;
        this.lastSegmentAt = clock.instant();
    }

    /** Where a channel's numbering stands between two streams. */
    public record Continuation(long nextSequence, long discontinuitySequence) {
        public static final Continuation FIRST = new Continuation(0, 0);
    }

    /**
     * Starts a pipeline run: returns the segmenter that feeds this store. Every run after the
     * first begins with a discontinuity.
     */
    public TsSegmenter newRun(double segmentSeconds) {
        lock.lock();
        try {
            if (!segments.isEmpty()) {
                nextIsDiscontinuity = true;
            }
        } finally {
            lock.unlock();
        }
        return new TsSegmenter(new RunSink(), clock, segmentSeconds, targetDuration + 0.45);
    }

    public int targetDuration() {
        return targetDuration;
    }

    public PlaylistView playlist() {
        List<Segment> all = segments;
        List<Segment> closed = all.isEmpty() || all.getLast().closed() ? all : all.subList(0, all.size() - 1);
        List<Segment> windowed = closed.subList(Math.max(0, closed.size() - window), closed.size());
        return new PlaylistView(targetDuration, windowed, ended);
    }

    public boolean hasSegment() {
        List<Segment> all = segments;
        return !all.isEmpty() && (all.size() > 1 || all.getFirst().closed());
    }

    /** A closed segment by media sequence number, while it is retained. */
    public Optional<Segment> segment(long sequence) {
        Segment s = find(segments, sequence);
        return s != null && s.closed() ? Optional.of(s) : Optional.empty();
    }

    /** When the newest segment closed (or the store was created). */
    public Instant lastSegmentAt() {
        lock.lock();
        try {
            return lastSegmentAt;
        } finally {
            lock.unlock();
        }
    }

    public Continuation continuation() {
        lock.lock();
        try {
            return new Continuation(nextSequence, discontinuitySequence);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of the stream: the playlist gets EXT-X-ENDLIST and TS readers finish. */
    public void end() {
        lock.lock();
        try {
            ended = true;
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean ended() {
        return ended;
    }

    /** A cursor at the live point: the start of the newest segment, which begins at a keyframe. */
    public TsCursor liveCursor() {
        List<Segment> all = segments;
        lock.lock();
        try {
            return new TsCursor(all.isEmpty() ? nextSequence : all.getLast().sequence());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next bytes for a continuous-TS reader, waiting up to {@code wait} for them. A reader
     * that fell behind the retained segments jumps to the live point (counted in its cursor).
     */
    public TsChunk read(TsCursor cursor, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen;
            lock.lock();
            try {
                seen = version;
            } finally {
                lock.unlock();
            }
            List<Segment> all = segments;
            Segment s = find(all, cursor.sequence);
            if (s == null && !all.isEmpty() && cursor.sequence < all.getFirst().sequence()) {
                cursor.sequence = all.getLast().sequence();
                cursor.offset = 0;
                cursor.skips++;
                continue;
            }
            if (s != null) {
                Segment.Fill fill = s.fill();
                if (cursor.offset < fill.size()) {
                    TsChunk.Data d = new TsChunk.Data(fill.data(), cursor.offset, fill.size() - cursor.offset);
                    cursor.offset = fill.size();
                    return d;
                }
                if (s.closed()) {
                    cursor.sequence++;
                    cursor.offset = 0;
                    continue;
                }
            }
            if (ended) {
                return new TsChunk.End();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new TsChunk.Pending();
            }
            lock.lock();
            try {
                if (version == seen) {
                    changed.await(remaining, TimeUnit.NANOSECONDS);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static Segment find(List<Segment> all, long sequence) {
        if (all.isEmpty()) {
            return null;
        }
        long index = sequence - all.getFirst().sequence();
        return index >= 0 && index < all.size() ? all.get((int) index) : null;
    }

    /** Feeds one run's segments into the store. Used by one thread at a time. */
    private final class RunSink implements SegmentSink {
        private Segment current;

        @Override
        public void open(byte[] header, Instant wallClock) {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                boolean disc = nextIsDiscontinuity;
                nextIsDiscontinuity = false;
                if (disc) {
                    discontinuitySequence++;
                }
                current = new Segment(nextSequence++, discontinuitySequence, disc, wallClock, header);
                List<Segment> next = new ArrayList<>(segments.size() + 1);
                next.addAll(segments);
                next.add(current);
                while (next.size() > retain + 1) {
                    next.removeFirst();
                }
                segments = Collections.unmodifiableList(next);
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void append(byte[] packets, int length) {
            if (current == null) {
                return;
            }
            lock.lock();
            try {
                current.append(packets, length);
                version++;
                long now = System.nanoTime();
                if (now - lastSignal >= APPEND_SIGNAL_NANOS) {
                    lastSignal = now;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close(double seconds) {
            Segment closed = current;
            if (closed == null) {
                return;
            }
            lock.lock();
            try {
                closed.close(seconds);
                current = null;
                lastSegmentAt = clock.instant();
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            onClose.accept(closed);
        }
    }
}
