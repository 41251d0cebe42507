package dev.headend.pipeline;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Starts channel pipelines through the {@link ProcessPool}: the argument list from {@link
 * FfmpegCommand}, run in the caption directory, where a test pattern reads the channel name it
 * draws from {@code <channel id>.txt}.
 *
 * <p>Invariant: a caption file is replaced atomically before the process that reads it starts;
 * a process still running read its caption when it started, so rewriting it is safe.
 */
public final class FfmpegLauncher implements PipelineLauncher {
    /** Environment variable naming the channel of a pipeline process (tool runs have none). */
    public static final String CHANNEL_VARIABLE = "HEADEND_CHANNEL";

    private final ProcessPool pool;
    private final String ffmpeg;
    private final int segmentSeconds;
    private final Path captionDir;
    private final PushFeeds pushFeeds;

    /** @param captionDir an existing directory, the working directory of every pipeline process */
    public FfmpegLauncher(ProcessPool pool, String ffmpeg, int segmentSeconds, Path captionDir) {
        this(pool, ffmpeg, segmentSeconds, captionDir, PushFeeds.NONE);
    }

    /** @param pushFeeds the frames of {@code push:} sources */
    public FfmpegLauncher(ProcessPool pool, String ffmpeg, int segmentSeconds, Path captionDir, PushFeeds pushFeeds) {
        this.pushFeeds = pushFeeds;
        this.pool = pool;
        this.ffmpeg = ffmpeg;
        this.segmentSeconds = segmentSeconds;
        this.captionDir = captionDir;
    }

    @Override
    public PipelineProcess launch(Channel channel, Source source, ByteSink output, Consumer<ProcessExit> onExit,
            BooleanSupplier wanted) throws IOException, SpawnRefusedException {
        if (source instanceof Source.TestPattern) {
            writeCaption(channel);
        }
        return pool.spawn(new ProcessSpec(channel.id(),
                FfmpegCommand.build(ffmpeg, channel, source, segmentSeconds, captionFile(channel)),
                captionDir, Map.of(CHANNEL_VARIABLE, channel.id()),
                source instanceof Source.Push push ? Optional.of(pushFeeds.feed(push.streamId())) : Optional.empty()),
                output, onExit, wanted);
    }

    private void writeCaption(Channel c) throws IOException {
        Path caption = captionDir.resolve(captionFile(c));
        Path fresh = Files.createTempFile(captionDir, c.id(), ".new");
        Files.writeString(fresh, c.name(), StandardCharsets.UTF_8);
        Files.move(fresh, caption, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String captionFile(Channel c) {
        return c.id() + ".txt";
    }
}
