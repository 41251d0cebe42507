package dev.headend.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs work later, once or periodically, on the monotonic clock. Tasks must be short: they run
 * on a small shared pool (production) or on the test's thread (the manual scheduler of the
 * tests); anything that may block hands itself to a thread of its own.
 */
public interface Scheduler {

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Task {
        /** Cancels the task; a run already under way finishes. Idempotent. */
        void cancel();
    }

    /** Runs {@code work} once, after {@code delay} (at once when zero or negative). */
    Task schedule(Duration delay, Runnable work);

    /** Runs {@code work} every {@code period}, the first time after one period, until cancelled. */
    Task repeat(Duration period, Runnable work);

    /** A scheduler on an executor service (which the caller owns and shuts down). */
    static Scheduler on(ScheduledExecutorService executor) {
        return new ExecutorScheduler(executor);
    }
}
