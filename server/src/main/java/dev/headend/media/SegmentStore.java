package dev.headend.media;

import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The in-memory segments of one stream, across all its pipeline runs and slate periods.
 *
 * <p>Invariants: media sequence numbers are consecutive and never reused, also across runs;
 * whenever the producer of segments changes (a pipeline run, the slate, another run) the first
 * segment of the new producer carries a discontinuity; at most one segment is open, and it is
 * the newest; closed segments stay retrievable for {@code retain} segments (the playlist window
 * and {@code keptAfterWindow} more: by default as many again as the window and two more, so a
 * segment stays available for about a window's duration after it leaves the playlist, with a
 * segment to spare for a player that comes a little late).
 *
 * <p>The target duration is decided before the first segment is published and is constant from
 * then on (see {@link TargetDuration}); no segment lasts longer than {@link #LONGEST_OVER_TARGET}
 * beyond it, so every EXTINF rounds to at most the target. Program date-times strictly increase:
 * a segment is dated when its first packet arrived, but never before the previous segment's
 * date plus that segment's duration, so dates stay consistent with the durations across runs,
 * slate periods and sources read faster than real time.
 *
 * <p>A new run is staged: its first segment is kept aside until it closes, and only then does
 * the run go live (the previous live run's open segment is closed where it stands and that run's
 * further output is ignored). So a replacement pipeline takes over at a segment boundary, and
 * only once it has proven it produces. Writers mutate under the lock; readers work from the
 * volatile {@link #segments} list, which is replaced, never mutated. Readers wait on a version
 * counter, so a wake-up is never lost.
 */
public final class SegmentStore {
    /**
     * Waiting TS readers are woken at most this often by appends (segment opens and closes
     * always wake them): FFmpeg flushes every packet, and waking thousands of readers per
     * packet would cost more than the few tens of milliseconds of latency this adds.
     */
    private static final long APPEND_SIGNAL_NANOS = 40_000_000L;
    private static final Object SLATE = new Object();
    /**
     * Gap (90 kHz ticks, one frame at 25 fps) left between the end of the earlier segments and a
     * re-timed run, since a segment's end time is known only to within a frame: timestamps
     * never repeat at a splice.
     */
    private static final long SPLICE_GAP = 3_600;
    /** How far a segment may run past the target duration: its EXTINF still rounds to the target. */
    static final double LONGEST_OVER_TARGET = 0.45;
    /** The stream's rate is measured over this many of its newest closed segments. */
    static final int RATE_SEGMENTS = 4;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TargetDuration targetRule;
    private final int window;
    private final int retain;
    private final TimeSource time;

    private volatile List<Segment> segments = List.of();
    private volatile boolean ended;
    private volatile int targetDuration;
    /** Set (under lock) by the first publish; the target duration never changes afterwards. */
    private volatile boolean targetDecided;
    private volatile PlaylistTemplate template;
    private long nextSequence;
    private long discontinuitySequence;
    private Object lastProducer;
    private boolean continuesEarlierStream;
    private Segment open;
    private RunSink liveRun;
    private long version;
    private long lastSignal;
    private Moment lastSegmentAt;
    /** When {@link #open} opened, on the monotonic clock. */
    /** When the open segment opened; written under the lock, read without it by {@link #bytesPerSecond(long)}. */
    private volatile Moment openedAt;

    /**
     * @param continuation where numbering starts: a channel's next sequence survives its streams
     * @param time the monotonic clock of segment timing, and the wall clock of playlist dates
     */
    public SegmentStore(int targetDuration, int window, Continuation continuation, TimeSource time) {
        this(new TargetDuration.Fixed(targetDuration), window, continuation, time);
    }

    /** A store that keeps as many segments again as the window, and two more, after they leave the playlist. */
    public SegmentStore(TargetDuration targetRule, int window, Continuation continuation, TimeSource time) {
        this(targetRule, window, window + 2, continuation, time);
    }

    /**
     * @param targetRule how the playlist's target duration is decided
     * @param keptAfterWindow how many segments stay retrievable after they leave the playlist
     * @param continuation where numbering starts: a channel's next sequence survives its streams
     * @param time the monotonic clock of segment timing, and the wall clock of playlist dates
     */
    public SegmentStore(TargetDuration targetRule, int window, int keptAfterWindow, Continuation continuation,
            TimeSource time) {
        this.targetRule = targetRule;
        this.targetDuration = targetRule.initialSeconds();
        this.targetDecided = targetRule instanceof TargetDuration.Fixed;
        this.window = window;
        this.retain = window + keptAfterWindow;
        this.time = time;
        this.nextSequence = continuation.nextSequence();
        this.discontinuitySequence = continuation.discontinuitySequence();
        this.continuesEarlierStream = continuation.nextSequence() > 0;
        this.lastSegmentAt = time.now();
    }

    /** Where a channel's numbering stands between two streams. */
    public record Continuation(long nextSequence, long discontinuitySequence) {
        public static final Continuation FIRST = new Continuation(0, 0);
    }

    /** One pipeline run feeding this store: the segmenter to feed, and a way to retire it. */
    public final class Run {
        private final RunSink sink;
        private final TsSegmenter segmenter;

        private Run(double segmentSeconds, Consumer<Segment> onClose, Consumer<String> onRefused) {
            this.sink = new RunSink(onClose, onRefused);
            this.segmenter = new TsSegmenter(sink, time, segmentSeconds);
        }

        public TsSegmenter segmenter() {
            return segmenter;
        }

        /**
         * The run's pipeline is gone: its open segment (if live) is closed where it stands and its
         * further output is ignored. Idempotent.
         */
        public void retire() {
            lock.lock();
            try {
                if (liveRun == sink) {
                    retireLiveRun();
                }
                sink.retired = true;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Starts a pipeline run. The run goes live when its first segment closes, taking over from
     * the live run (if any) at that segment boundary.
     *
     * @param onClose called, outside the lock, each time a segment of this run closes
     */
    public Run newRun(double segmentSeconds, Consumer<Segment> onClose) {
        return newRun(segmentSeconds, onClose, reason -> {});
    }

    /**
     * Like {@link #newRun(double, Consumer)}; {@code onRefused} is called, outside the lock and
     * instead of {@code onClose}, when the run cannot fit the target duration: its first segment,
     * while the target is still to be decided, found no keyframe within the longest target
     * allowed. Such a run is retired: its output is ignored and its process should be ended.
     */
    public Run newRun(double segmentSeconds, Consumer<Segment> onClose, Consumer<String> onRefused) {
        return new Run(segmentSeconds, onClose, onRefused);
    }

    /**
     * Appends a complete slate segment, unless a pipeline run is live (the slate only fills the
     * gaps between runs). Returns whether it was appended.
     */
    public boolean appendSlate(byte[] bytes, double seconds, long startPts) {
        lock.lock();
        try {
            if (ended || liveRun != null) {
                return false;
            }
            Segment s = newSegment(SLATE, time.wallClock(), startPts, true, bytes, bytes.length);
            s.close(seconds);
            publish(s);
            lastSegmentAt = time.now();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The playlist's target duration, in seconds: provisional until the first segment is published. */
    public int targetDuration() {
        return targetDuration;
    }

    public TargetDuration targetRule() {
        return targetRule;
    }

    public PlaylistView playlist() {
        List<Segment> all = segments;
        List<Segment> closed = all.isEmpty() || all.getLast().closed() ? all : all.subList(0, all.size() - 1);
        List<Segment> windowed = closed.subList(Math.max(0, closed.size() - window), closed.size());
        return new PlaylistView(targetDuration, windowed, ended);
    }

    /**
     * The current playlist, rendered once per change and shared by every request (see {@link
     * PlaylistTemplate#render}).
     */
    public PlaylistTemplate playlistTemplate() {
        PlaylistView view = playlist();
        PlaylistTemplate t = template;
        if (t == null || !t.view().sameListing(view)) {
            t = PlaylistWriter.template(view);
            template = t;
        }
        return t;
    }

    /**
     * Waits until the playlist lists at least {@code count} segments or the store ended.
     *
     * @return whether it does; false when {@code timeout} passed first
     */
    public boolean awaitListed(int count, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!ended && playlist().window().size() < count) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
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

    /** The newest closed segment, if any. */
    public Optional<Segment> newestClosed() {
        List<Segment> all = segments;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).closed()) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** When the newest segment closed (or the store was created), on the monotonic clock. */
    public Moment lastSegmentAt() {
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
            signal();
        } finally {
            lock.unlock();
        }
    }

    public boolean ended() {
        return ended;
    }

    /** A cursor at the live point: the start of the newest segment, which begins at a keyframe. */
    public TsCursor liveCursor() {
        return liveCursor(Duration.ZERO);
    }

    /**
     * A cursor at the start of the newest segment that begins at a keyframe at least {@code back}
     * before the live point (or the oldest retained such segment), so a reader starting there
     * has that much of the stream to receive at once.
     */
    public TsCursor liveCursor(Duration back) {
        lock.lock();
        try {
            List<Segment> all = segments;
            if (all.isEmpty()) {
                return new TsCursor(nextSequence);
            }
            int index = all.size() - 1;
            Segment newest = all.get(index);
            double covered = newest == open ? openedAt.until(time.now()).toNanos() / 1e9 : newest.duration();
            double wanted = back.toNanos() / 1e9;
            while (covered < wanted && index > 0) {
                index--;
                covered += all.get(index).duration();
            }
            int start = index;
            while (start > 0 && !all.get(start).independent()) {
                start--;
            }
            return new TsCursor(all.get(all.get(start).independent() ? start : index).sequence());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The rate that replays segment {@code sequence} in real time, in bytes per second: a closed
     * segment's bytes over its duration; for the open one (or one not retained), the stream's
     * rate ({@link #bytesPerSecond()}) or, when higher, the open segment's bytes so far over the
     * time it has been open (a reader at the live point is never held below what arrives).
     */
    public long bytesPerSecond(long sequence) {
        Segment s = find(segments, sequence);
        if (s != null && s.closed() && s.duration() > 0) {
            return Math.round(s.fill().size() / s.duration());
        }
        long stream = bytesPerSecond();
        if (s == null || s.closed()) {
            return stream;
        }
        // not closed: the open segment (at most one is open, the newest), so no lock on this per-chunk path
        long openNanos = openedAt.until(time.now()).toNanos();
        return openNanos <= 0 ? stream : Math.max(stream, s.fill().size() * 1_000_000_000L / openNanos);
    }

    /**
     * The stream's rate in bytes per second: the bytes of the newest closed segments (up to
     * {@link #RATE_SEGMENTS}) over their duration; 0 while none has closed.
     */
    public long bytesPerSecond() {
        List<Segment> all = segments;
        long bytes = 0;
        double seconds = 0;
        int counted = 0;
        for (int i = all.size() - 1; i >= 0 && counted < RATE_SEGMENTS; i--) {
            Segment s = all.get(i);
            if (s.closed() && s.duration() > 0) {
                bytes += s.fill().size();
                seconds += s.duration();
                counted++;
            }
        }
        return seconds > 0 ? Math.round(bytes / seconds) : 0;
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

    /**
     * Creates the next segment, flagging a discontinuity when its producer differs, dated no
     * earlier than the end of the newest segment (closed by now). Under lock.
     */
    private Segment newSegment(Object producer, Instant wallClock, long pts, boolean independent, byte[] data,
            int size) {
        boolean disc = lastProducer != producer && (lastProducer != null || continuesEarlierStream);
        lastProducer = producer;
        if (disc) {
            discontinuitySequence++;
        }
        Instant date = wallClock;
        List<Segment> all = segments;
        if (!all.isEmpty()) {
            Segment previous = all.getLast();
            long nanos = Math.max(Math.round(previous.duration() * 1e9), 1_000_000L);
            Instant previousEnd = previous.programDateTime().plusNanos(nanos);
            date = date.isBefore(previousEnd) ? previousEnd : date;
        }
        return new Segment(nextSequence++, discontinuitySequence, disc, date, pts, independent, data, size);
    }

    /** Why a run whose first segment found no keyframe within {@code seconds} cannot be segmented. */
    private static String refusal(double seconds) {
        return String.format(Locale.ROOT, "the source's keyframes are more than %.1f s apart, too far apart for "
                + "copied video, whose segments start at keyframes; transcode this channel with profile: h264",
                seconds);
    }

    /** The longest segment allowed now, in seconds. */
    private double longestSegment() {
        int target = targetDecided ? targetDuration : switch (targetRule) {
            case TargetDuration.Fixed f -> f.seconds();
            case TargetDuration.FitKeyframes k -> k.maxSeconds();
        };
        return target + LONGEST_OVER_TARGET;
    }

    /**
     * Decides the target duration from the first segment to be published, if it is still open:
     * the whole seconds that hold it, within the rule's bounds. Under lock.
     */
    private void decideTarget(double firstSegmentSeconds) {
        if (!targetDecided && targetRule instanceof TargetDuration.FitKeyframes k) {
            int fit = (int) Math.ceil(firstSegmentSeconds);
            targetDuration = Math.min(k.maxSeconds(), Math.max(k.minSeconds(), fit));
        }
        targetDecided = true;
    }

    /** Adds a segment to the published list, dropping what is no longer retained. Under lock. */
    private void publish(Segment s) {
        decideTarget(s.closed() ? s.duration() : 0);
        List<Segment> next = new ArrayList<>(segments.size() + 1);
        next.addAll(segments);
        next.add(s);
        while (next.size() > retain + 1) {
            next.removeFirst();
        }
        segments = Collections.unmodifiableList(next);
        signal();
    }

    /** Closes the live run's open segment where it stands and stops listening to that run. Under lock. */
    private void retireLiveRun() {
        if (open != null) {
            double seconds = openedAt.until(time.now()).toNanos() / 1e9;
            open.close(Math.min(Math.max(seconds, 0.001), longestSegment()));
            open = null;
            lastSegmentAt = time.now();
        }
        if (liveRun != null) {
            liveRun.retired = true;
            liveRun = null;
        }
    }

    private void signal() {
        version++;
        lastSignal = System.nanoTime();
        changed.signalAll();
    }

    /**
     * Feeds one run's segments into the store. Used by the run's reader thread only. Until the
     * run is live its first segment is collected privately.
     */
    private final class RunSink implements SegmentSink {
        private final Consumer<Segment> onClose;
        private final Consumer<String> onRefused;
        /** Set when the run goes live after earlier segments: shifts its timestamps to follow them. */
        private TsRetimer retimer;
        private long ptsOffset;
        private ByteArrayOutputStream staged;
        private Instant stagedAt;
        private long stagedPts;
        private boolean stagedIndependent;
        private boolean retired;

        RunSink(Consumer<Segment> onClose, Consumer<String> onRefused) {
            this.onClose = onClose;
            this.onRefused = onRefused;
        }

        @Override
        public double maxSeconds() {
            return longestSegment();
        }

        /**
         * The packets with this run's timestamps moved to follow the stream's earlier segments, so
         * continuous-TS viewers see time go on across runs (the first packets carry the
         * discontinuity indicator). The first run of a stream is left as it is.
         */
        private byte[] retimed(byte[] packets, int length) {
            if (retimer == null) {
                return packets;
            }
            return retimer.retime(packets, length, ptsOffset);
        }

        private long shifted(long pts) {
            return Math.floorMod(pts + ptsOffset, TsPackets.PTS_MODULO);
        }

        @Override
        public void open(byte[] header, Instant wallClock, long pts, boolean keyframe) {
            lock.lock();
            try {
                if (ended || retired) {
                    return;
                }
                if (liveRun != this) {
                    staged = new ByteArrayOutputStream(256 * 1024);
                    staged.writeBytes(header);
                    stagedAt = wallClock;
                    stagedPts = pts;
                    stagedIndependent = keyframe;
                    return;
                }
                byte[] h = retimed(header, header.length);
                open = newSegment(this, wallClock, shifted(pts), keyframe, h, h.length);
                openedAt = time.now();
                publish(open);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void append(byte[] packets, int length) {
            lock.lock();
            try {
                if (ended || retired) {
                    return;
                }
                if (liveRun != this) {
                    if (staged != null) {
                        staged.write(packets, 0, length);
                    }
                    return;
                }
                if (open == null) {
                    return;
                }
                byte[] p = retimed(packets, length);
                open.append(p, length);
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
        public void close(double seconds, boolean cutShort) {
            Segment closed;
            String refusal = null;
            lock.lock();
            try {
                if (ended || retired) {
                    return;
                }
                if (liveRun != this) {
                    if (staged == null) {
                        return;
                    }
                    if (cutShort && !targetDecided) {
                        retired = true;
                        staged = null;
                        refusal = refusal(seconds);
                        return;
                    }
                    retireLiveRun();
                    Optional<Long> previousEnd = newestClosed().map(Segment::endPts);
                    liveRun = this;
                    byte[] bytes = staged.toByteArray();
                    staged = null;
                    if (previousEnd.isPresent()) {
                        ptsOffset = Math.floorMod(previousEnd.get() + SPLICE_GAP - stagedPts,
                                TsPackets.PTS_MODULO);
                        retimer = new TsRetimer();
                        bytes = retimed(bytes, bytes.length);
                    }
                    closed = newSegment(this, stagedAt, shifted(stagedPts), stagedIndependent, bytes, bytes.length);
                    closed.close(seconds);
                    publish(closed);
                } else {
                    closed = open;
                    if (closed == null) {
                        return;
                    }
                    closed.close(seconds);
                    open = null;
                    signal();
                }
                lastSegmentAt = time.now();
            } finally {
                lock.unlock();
                if (refusal != null) {
                    onRefused.accept(refusal);
                }
            }
            onClose.accept(closed);
        }
    }
}
