package dev.headend.stream;

import dev.headend.pipeline.PipelineLauncher;
import dev.headend.resilience.RestartPolicy;
import dev.headend.slate.SlateProvider;
import dev.headend.time.Scheduler;
import dev.headend.time.TimeSource;
import java.util.concurrent.Executor;

/**
 * What every stream shares: the launcher of pipeline processes, the restart policy, the slate,
 * the clocks, the scheduler of delayed work, the executor of work that may block (starting and
 * stopping processes: a thread of its own each in production, the test's thread in tests), the
 * settings, and the listener told of every stream's changes.
 */
public record StreamContext(PipelineLauncher launcher, RestartPolicy policy, SlateProvider slates, TimeSource time,
        Scheduler scheduler, Executor background, StreamSettings settings, StreamListener listener) {
    /** The same context with other settings. */
    public StreamContext withSettings(StreamSettings next) {
        return new StreamContext(launcher, policy, slates, time, scheduler, background, next, listener);
    }
}
