package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.slate.SlateProvider;
import dev.headend.time.Moment;
import dev.headend.time.Scheduler;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stream's playlist growing with slate segments, at real-time pace, while no pipeline
 * run is live. Invariants: the store itself refuses slate while a run is live, so a feeder that
 * is stopped a little late can never cut into real content; each slate period uses the channel
 * as it is defined when the period's first segment is due; the status line reported is the one
 * on the newest slate segment appended in the current period, none while not feeding.
 */
final class SlateFeeder {
    private static final Logger log = LoggerFactory.getLogger(SlateFeeder.class);
    private static final Duration TICK = Duration.ofMillis(100);

    private final Supplier<Channel> channel;
    private final Supplier<Optional<Instant>> returnAt;
    private final SegmentStore store;
    private final SlateProvider slates;
    private final Scheduler scheduler;
    private final TimeSource time;
    private Scheduler.Task task;
    private SlateProvider.SlateSequence sequence;
    private Moment nextAt;
    private volatile String status;

    /**
     * @param channel the channel's current definition
     * @param returnAt when the stream is expected back, by the wall clock (for the slate's status line)
     */
    SlateFeeder(Supplier<Channel> channel, Supplier<Optional<Instant>> returnAt, SegmentStore store,
            SlateProvider slates, Scheduler scheduler, TimeSource time) {
        this.channel = channel;
        this.returnAt = returnAt;
        this.store = store;
        this.slates = slates;
        this.scheduler = scheduler;
        this.time = time;
    }

    /**
     * Starts feeding; the first segment comes with {@link #feedNow}, which the caller runs as
     * soon as it holds no lock (not on the scheduler, whose threads a loaded machine may hold up
     * past the next run's first segment, leaving the gap unfilled). No-op when already feeding.
     */
    synchronized void start() {
        if (task != null) {
            return;
        }
        sequence = null;
        nextAt = time.now();
        task = scheduler.repeat(TICK, this::tick);
    }

    /** Appends the slate segment that is due now, if feeding (nothing once stopped). */
    void feedNow() {
        tick();
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel();
            task = null;
        }
        status = null;
    }

    /**
     * The status line of the slate showing now (empty when it has none); nothing while no slate
     * shows.
     */
    Optional<String> status() {
        return Optional.ofNullable(status);
    }

    private synchronized void tick() {
        try {
            if (task == null || time.now().isBefore(nextAt)) {
                return;
            }
            if (sequence == null) {
                Optional<Segment> reference = store.newestClosed();
                long startPts = reference.map(Segment::endPts).orElse(0L);
                sequence = slates.start(channel.get(), reference, startPts, returnAt).orElse(null);
                if (sequence == null) {
                    return;
                }
                nextAt = time.now();
            }
            SlateProvider.SlatePiece piece = sequence.next();
            if (!store.appendSlate(piece.bytes(), piece.seconds(), piece.startPts())) {
                stop();
                return;
            }
            status = piece.status();
            nextAt = nextAt.plus(Duration.ofMillis(Math.round(piece.seconds() * 1000)));
        } catch (RuntimeException e) {
            log.error("channel {}: slate feed failed", channel.get().id(), e);
        }
    }
}
