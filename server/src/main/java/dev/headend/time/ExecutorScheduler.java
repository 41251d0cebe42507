package dev.headend.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler} over a {@link ScheduledExecutorService}, which times on {@link
 * System#nanoTime()}. A periodic task that throws is logged and keeps its schedule (the
 * executor alone would silently drop it).
 */
record ExecutorScheduler(ScheduledExecutorService executor) implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

    @Override
    public Task schedule(Duration delay, Runnable work) {
        var future = executor.schedule(work, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Task repeat(Duration period, Runnable work) {
        long nanos = period.toNanos();
        Runnable guarded = () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("periodic task failed; it runs again in {} ms", period.toMillis(), e);
            }
        };
        var future = executor.scheduleWithFixedDelay(guarded, nanos, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
