package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.TsSegmenter;
import dev.headend.pipeline.Pipeline;
import dev.headend.pipeline.PipelineExit;
import java.io.IOException;
import java.util.function.Consumer;

/** Spawns the pipeline for a channel; the seam between streams and FFmpeg processes. */
@FunctionalInterface
public interface PipelineLauncher {
    Pipeline launch(Channel channel, TsSegmenter segmenter, Consumer<PipelineExit> onExit) throws IOException;
}
