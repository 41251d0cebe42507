package dev.headend.slate;

import dev.headend.channel.SlateStatus;
import dev.headend.time.TimeSource;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's slate: the base clip from the first segment on, then the clip showing the status
 * line that is due (see {@link SlateStatus}), switched in once it has been made.
 *
 * <p>Invariants: {@link #next()} never waits for FFmpeg: the clip for a new line is asked for in
 * the background, and the current clip loops until it is ready; a ready clip takes over where a
 * loop ends, with timestamps and counters running on ({@link SlateFeed#switchTo}); at most one
 * clip is asked for at a time, so a line that changed meanwhile is asked for once the earlier
 * one is in; a line whose clip failed is not asked for again (the next line is), so a failing
 * FFmpeg costs one run per line, not one per segment; without a status line nothing is ever
 * asked for. Used by one thread at a time.
 */
final class SlatePlayer implements SlateProvider.SlateSequence {
    private static final Logger log = LoggerFactory.getLogger(SlatePlayer.class);

    private final String channelId;
    private final SlateFeed feed;
    private final SlateStatus status;
    private final Supplier<Optional<Instant>> returnAt;
    private final TimeSource time;
    private final Function<String, CompletableFuture<SlateClip>> clips;
    private String showing = "";
    private String coming;
    private CompletableFuture<SlateClip> pending;
    private String failed;

    /**
     * @param feed plays the base clip (no status line)
     * @param clips makes, in the background, the clip of the same slate showing a given line
     */
    SlatePlayer(String channelId, SlateFeed feed, SlateStatus status, Supplier<Optional<Instant>> returnAt,
            TimeSource time, Function<String, CompletableFuture<SlateClip>> clips) {
        this.channelId = channelId;
        this.feed = feed;
        this.status = status;
        this.returnAt = returnAt;
        this.time = time;
        this.clips = clips;
    }

    @Override
    public SlateProvider.SlatePiece next() {
        adoptReadyClip();
        String wanted = status.line(time.wallClock(), returnAt.get());
        if (pending == null && !wanted.equals(showing) && !wanted.equals(failed)) {
            ask(wanted);
        }
        long pts = feed.nextPts90k();
        SlateSegment s = feed.next();
        return new SlateProvider.SlatePiece(s.bytes(), s.seconds(), pts, showing);
    }

    private void ask(String line) {
        coming = line;
        try {
            pending = clips.apply(line);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
    }

    /** Switches to the clip asked for once it is ready and a loop ends; forgets it if it failed. */
    private void adoptReadyClip() {
        if (pending == null || !pending.isDone()) {
            return;
        }
        SlateClip clip;
        try {
            clip = pending.getNow(null);
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn("channel {}: the slate's status line '{}' could not be made ({}); the slate goes on without it",
                    channelId, coming, cause.getMessage());
            failed = coming;
            pending = null;
            return;
        }
        if (feed.atLoopStart()) {
            feed.switchTo(clip);
            showing = coming;
            pending = null;
        }
    }
}
