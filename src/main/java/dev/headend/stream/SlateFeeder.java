package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.SegmentStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stream's playlist growing with slate segments, at real-time pace, while no pipeline
 * run is live. Invariant: the store itself refuses slate while a run is live, so a feeder that
 * is stopped a little late can never cut into real content.
 */
final class SlateFeeder {
    private static final Logger log = LoggerFactory.getLogger(SlateFeeder.class);
    private static final long TICK_MS = 100;

    private final Channel channel;
    private final SegmentStore store;
    private final SlateProvider slates;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private ScheduledFuture<?> task;
    private SlateProvider.SlateSequence sequence;
    private Instant nextAt;
    private volatile Instant firstSlateAt;

    SlateFeeder(Channel channel, SegmentStore store, SlateProvider slates, ScheduledExecutorService scheduler,
            Clock clock) {
        this.channel = channel;
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
        firstSlateAt = null;
        task = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** When the current slate period showed its first segment, if it has. */
    Optional<Instant> firstSlateAt() {
        return Optional.ofNullable(firstSlateAt);
    }

    private synchronized void tick() {
        try {
            if (task == null || clock.instant().isBefore(nextAt)) {
                return;
            }
            if (sequence == null) {
                long startPts = store.lastEndPts().orElse(0L);
                sequence = slates.start(channel, store.newestClosed(), startPts).orElse(null);
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
            if (firstSlateAt == null) {
                firstSlateAt = clock.instant();
            }
            nextAt = nextAt.plusMillis(Math.round(piece.seconds() * 1000));
        } catch (RuntimeException e) {
            log.error("channel {}: slate feed failed", channel.id(), e);
        }
    }
}
