package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.media.TsSegmenter;
import dev.headend.pipeline.Pipeline;
import dev.headend.pipeline.PipelineExit;
import dev.headend.pipeline.SpawnRefusedException;
import java.io.IOException;
import java.util.function.Consumer;

/** Spawns a pipeline reading one of a channel's sources; the seam between streams and processes. */
@FunctionalInterface
public interface PipelineLauncher {
    Pipeline launch(Channel channel, Source source, TsSegmenter segmenter, Consumer<PipelineExit> onExit)
            throws IOException, SpawnRefusedException;
}
