package dev.headend.pipeline;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Starts the FFmpeg process of a run reading one of a channel's sources; the seam between streams and processes. */
@FunctionalInterface
public interface PipelineLauncher {
    /**
     * @param output receives the process's MPEG-TS output
     * @param onExit told once, right after the process ended and was reaped
     * @param wanted asked right before the process starts (after any wait for a spawn token):
     *     false starts nothing and throws an {@link IOException}
     * @throws SpawnRefusedException when a guard of the process pool refused; nothing was started
     * @throws IOException when the process cannot be started, or was no longer wanted
     */
    PipelineProcess launch(Channel channel, Source source, ByteSink output, Consumer<ProcessExit> onExit,
            BooleanSupplier wanted) throws IOException, SpawnRefusedException;
}
