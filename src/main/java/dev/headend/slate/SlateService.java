package dev.headend.slate;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.media.Segment;
import dev.headend.stream.SlateProvider;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives streams their slate: one clip per channel, matching the format of the channel's real
 * segments (probed with ffprobe) and the channel's slate look, made in the background through
 * the {@link SlateLibrary} (which shares clips between channels with the same format and look).
 * Never blocks the caller: while a clip is being made, {@link #start} answers empty. A failed
 * preparation is forgotten, so the next call tries again.
 */
public final class SlateService implements SlateProvider {
    private static final Logger log = LoggerFactory.getLogger(SlateService.class);
    private static final MediaFormat.Audio DEFAULT_AUDIO = new MediaFormat.Audio(48_000, 2);

    private final SlateLibrary library;
    private final String ffprobe;
    private final int segmentSeconds;
    private final Executor executor;
    private final ConcurrentMap<String, CompletableFuture<SlateClip>> clips = new ConcurrentHashMap<>();

    public SlateService(SlateLibrary library, String ffprobe, int segmentSeconds, Executor executor) {
        this.library = library;
        this.ffprobe = ffprobe;
        this.segmentSeconds = segmentSeconds;
        this.executor = executor;
    }

    @Override
    public Optional<SlateSequence> start(Channel channel, Optional<Segment> reference, long startPts) {
        CompletableFuture<SlateClip> clip = preparing(channel, reference.orElse(null));
        if (!clip.isDone() || clip.isCompletedExceptionally()) {
            return Optional.empty();
        }
        SlateFeed feed = new SlateFeed(clip.join(), startPts);
        return Optional.of(() -> {
            long pts = feed.nextPts90k();
            SlateSegment s = feed.next();
            return new SlatePiece(s.bytes(), s.seconds(), pts);
        });
    }

    @Override
    public void prepare(Channel channel, Segment reference) {
        preparing(channel, reference);
    }

    private CompletableFuture<SlateClip> preparing(Channel channel, Segment reference) {
        return clips.computeIfAbsent(channel.id(), id -> {
            CompletableFuture<SlateClip> f = CompletableFuture.supplyAsync(() -> make(channel, reference), executor);
            f.whenComplete((c, e) -> {
                if (e != null) {
                    log.warn("channel {}: slate could not be made: {}", id, e.getMessage());
                    clips.remove(id, f);
                }
            });
            return f;
        });
    }

    private SlateClip make(Channel channel, Segment reference) {
        try {
            MediaFormat format = reference == null ? configuredFormat(channel) : probe(channel, reference);
            SlateClip clip = library.clip(format, channel.slate(), segmentSeconds);
            log.info("channel {}: slate ready ({}x{} at {} fps, {} bytes)", channel.id(), format.width(),
                    format.height(), format.fps(), clip.sizeBytes());
            return clip;
        } catch (IOException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private MediaFormat probe(Channel channel, Segment reference) throws IOException, InterruptedException {
        Segment.Fill fill = reference.fill();
        try {
            return MediaFormat.probe(ffprobe, Arrays.copyOf(fill.data(), fill.size()));
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
