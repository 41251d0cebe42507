package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private static final long TICK_MS = 100;

    private final Supplier<Channel> channel;
    private final Supplier<Optional<Instant>> returnAt;
    private final SegmentStore store;
    private final SlateProvider slates;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private ScheduledFuture<?> task;
    private SlateProvider.SlateSequence sequence;
    private Instant nextAt;
    private volatile String status;

    /**
     * @param channel the channel's current definition
     * @param returnAt when the stream is expected back (for the slate's status line)
     */
    SlateFeeder(Supplier<Channel> channel, Supplier<Optional<Instant>> returnAt, SegmentStore store,
            SlateProvider slates, ScheduledExecutorService scheduler, Clock clock) {
        this.channel = channel;
        this.returnAt = returnAt;
        this.store = store;
        this.slates = slates;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Starts feeding, the first segment at once. No-op when already feeding. */
    synchronized void start() {
        if (task != null) {
            return;
        }
        sequence = null;
        nextAt = clock.instant();
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
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
            if (task == null || clock.instant().isBefore(nextAt)) {
                return;
            }
            if (sequence == null) {
                Optional<Segment> reference = store.newestClosed();
                long startPts = reference.map(Segment::endPts).orElse(0L);
                sequence = slates.start(channel.get(), reference, startPts, returnAt).orElse(null);
                if (sequence == null) {
                    return;
                }
                nextAt = clock.instant();
            }
            SlateProvider.SlatePiece piece = sequence.next();
            if (!store.appendSlate(piece.bytes(), piece.seconds(), piece.startPts())) {
                stop();
                return;
            }
            status = piece.status();
            nextAt = nextAt.plusMillis(Math.round(piece.seconds() * 1000));
        } catch (RuntimeException e) {
            log.error("channel {}: slate feed failed", channel.get().id(), e);
        }
    }
}
