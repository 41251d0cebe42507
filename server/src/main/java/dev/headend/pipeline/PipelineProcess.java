package dev.headend.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The FFmpeg process of one run of a stream's pipeline, as its stream sees it: started by a
 * {@link PipelineLauncher}, it feeds its output to a {@link ByteSink} and reports its exit once,
 * right after it ends.
 */
public interface PipelineProcess {
    long pid();

    /** The latest {@code -progress} figures. */
    ProgressStats progress();

    boolean alive();

    /** Completes once, when the process has ended and been reaped. */
    CompletableFuture<ProcessExit> exit();

    /**
     * Stops the process group: SIGTERM, then SIGKILL after {@code grace}. Returns once the
     * process has exited and been reaped; its exit is reported as requested. Idempotent.
     */
    void stop(Duration grace);

    /** SIGKILL to the group at once; the exit is reported as not requested (a crash). */
    void kill();
}
