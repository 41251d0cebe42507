package dev.headend.slate;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook;
import dev.headend.media.Segment;
import dev.headend.pipeline.ToolRunner;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives streams their slate: per channel, a base clip matching the format of the channel's real
 * segments (probed with ffprobe) and the channel's slate look, made in the background through
 * the {@link SlateLibrary} (which shares clips between channels with the same format and look),
 * and, when the look has a status line, the clips for that line as it changes ({@link
 * SlatePlayer}).
 *
 * <p>Invariants: never blocks the caller: while a base clip is being made, {@link #start}
 * answers empty; one entry per channel id, for the channel's current look and pipeline: a
 * channel whose look or pipeline (hence perhaps its format) changed in a configuration reload
 * gets a new base clip, and its old entry is replaced; a failed preparation is kept for {@link
 * #RETRY_AFTER}, so a slate that cannot be made (a missing image, say) costs one FFmpeg run per
 * period, not one per call of the feeder, and the first call after it tries again.
 */
public final class SlateService implements SlateProvider {
    private static final Logger log = LoggerFactory.getLogger(SlateService.class);
    private static final MediaFormat.Audio DEFAULT_AUDIO = new MediaFormat.Audio(48_000, 2);
    /** How long a failed base clip is remembered before the next call tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    /** A base clip and the format it was made in (status clips are made in the same). */
    private record Material(MediaFormat format, SlateClip clip) {}

    /**
     * A channel's base clip, made or being made since {@code since}, for one definition of the
     * channel; {@code probed}: in the format of a real segment, not the configured one.
     */
    private record Prepared(Channel channel, Moment since, boolean probed, CompletableFuture<Material> material) {
        SlateLook look() {
            return channel.slate();
        }

        /**
         * Still the clip to use for {@code other} at {@code now}: same look and pipeline, not a
         * stale failure, and probed when a real segment ({@code reference}) can be probed now (a
         * clip made before the channel's first segment, in the configured format, is made again
         * in the real one).
         */
        boolean fits(Channel other, Segment reference, Moment now) {
            boolean retryDue = material.isCompletedExceptionally() && !since.plus(RETRY_AFTER).isAfter(now);
            return !retryDue && (probed || reference == null) && channel.slate().equals(other.slate())
                    && channel.samePipeline(other);
        }
    }

    private final SlateLibrary library;
    private final ToolRunner tools;
    private final String ffprobe;
    private final Path workDir;
    private final int segmentSeconds;
    private final Executor executor;
    private final TimeSource time;
    private final ConcurrentMap<String, Prepared> prepared = new ConcurrentHashMap<>();

    /**
     * @param tools runs ffprobe (the process pool)
     * @param workDir an existing directory for the probes' copies of segments
     * @param time the retry period's clock, and the time a status line shows
     */
    public SlateService(SlateLibrary library, ToolRunner tools, String ffprobe, Path workDir, int segmentSeconds,
            Executor executor, TimeSource time) {
        this.library = library;
        this.tools = tools;
        this.ffprobe = ffprobe;
        this.workDir = workDir;
        this.segmentSeconds = segmentSeconds;
        this.executor = executor;
        this.time = time;
    }

    @Override
    public Optional<SlateSequence> start(Channel channel, Optional<Segment> reference, long startPts,
            Supplier<Optional<Instant>> returnAt) {
        Prepared p = preparing(channel, reference.orElse(null));
        if (!p.material().isDone() || p.material().isCompletedExceptionally()) {
            return Optional.empty();
        }
        Material base = p.material().join();
        return Optional.of(new SlatePlayer(channel.id(), new SlateFeed(base.clip(), startPts), p.look().status(),
                returnAt, time, line -> CompletableFuture.supplyAsync(
                        () -> statusClip(channel.id(), base.format(), p.look(), line), executor)));
    }

    @Override
    public void prepare(Channel channel, Segment reference) {
        preparing(channel, reference);
    }

    @Override
    public SlateReadiness readiness(Channel channel) {
        Prepared p = prepared.get(channel.id());
        if (p == null || !p.fits(channel, null, time.now())) {
            return SlateReadiness.NONE;
        }
        if (!p.material().isDone()) {
            return SlateReadiness.PREPARING;
        }
        return p.material().isCompletedExceptionally() ? SlateReadiness.FAILED : SlateReadiness.READY;
    }

    private Prepared preparing(Channel channel, Segment reference) {
        SlateLook look = channel.slate();
        Moment now = time.now();
        Prepared fresh = new Prepared(channel, now, reference != null, new CompletableFuture<>());
        Prepared current = prepared.compute(channel.id(),
                (id, old) -> old != null && old.fits(channel, reference, now) ? old : fresh);
        if (current == fresh) {
            fresh.material().whenComplete((m, e) -> {
                if (e != null) {
                    log.warn("channel {}: slate could not be made (trying again in {} s): {}", channel.id(),
                            RETRY_AFTER.toSeconds(), e.getMessage());
                }
            });
            fresh.material().completeAsync(() -> make(channel, look, reference), executor);
        }
        return current;
    }

    private Material make(Channel channel, SlateLook look, Segment reference) {
        return completing(() -> {
            MediaFormat format = reference == null ? configuredFormat(channel) : probe(channel, reference);
            SlateClip clip = library.clip(format, look, "", segmentSeconds);
            log.info("channel {}: slate ready ({}x{} at {} fps, {} bytes)", channel.id(), format.width(),
                    format.height(), format.fps(), clip.sizeBytes());
            return new Material(format, clip);
        });
    }

    private SlateClip statusClip(String channelId, MediaFormat format, SlateLook look, String line) {
        return completing(() -> {
            SlateClip clip = library.clip(format, look, line, segmentSeconds);
            log.debug("channel {}: slate status clip ready: {}", channelId, line);
            return clip;
        });
    }

    /** Work that makes slate material, run on the executor. */
    private interface Making<T> {
        T get() throws IOException, InterruptedException;
    }

    /** Runs {@code work} for a future: its failure becomes a {@link CompletionException}. */
    private static <T> T completing(Making<T> work) {
        try {
            return work.get();
        } catch (IOException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /** @param reference a closed segment (the stream's newest), so its bytes are exactly its own */
    private MediaFormat probe(Channel channel, Segment reference) throws IOException, InterruptedException {
        try {
            return MediaFormat.probe(tools, ffprobe, workDir, reference.fill().data());
        } catch (IOException e) {
            log.info("channel {}: cannot probe its format ({}); using the configured one", channel.id(),
                    e.getMessage());
            return configuredFormat(channel);
        }
    }

    /** The format the profile asks for, or 1280x720 at 25 fps with stereo AAC. */
    static MediaFormat configuredFormat(Channel channel) {
        int width = 1280;
        int height = 720;
        double fps = 25;
        if (channel.profile() instanceof OutputProfile.H264 h) {
            width = h.width().orElse(width);
            height = h.height().orElse(h.width().map(w -> w * 9 / 16 / 2 * 2).orElse(height));
            fps = h.fps().orElse(25);
        }
        Optional<MediaFormat.Audio> audio = channel.profile().audio() == AudioMode.NONE ? Optional.empty()
                : Optional.of(DEFAULT_AUDIO);
        return new MediaFormat(width, height, fps, audio);
    }
}
