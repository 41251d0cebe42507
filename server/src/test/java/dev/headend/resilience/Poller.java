package dev.headend.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Calls a probe at a fixed interval in the background and keeps every answer with the time it came. */
final class Poller<T> implements AutoCloseable {
    /** One answer of the probe; {@code at} is when it was received. */
    record Sample<T>(Instant at, T value) {}

    private final List<Sample<T>> samples = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Poller(Duration every, Supplier<T> probe) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                T value = probe.get();
                samples.add(new Sample<>(Instant.now(), value));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The answers so far, oldest first; fails when the probe ever threw. */
    List<Sample<T>> samples() {
        if (!failures.isEmpty()) {
            throw new AssertionError("the probe failed " + failures.size() + " time(s)", failures.getFirst());
        }
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("poller did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
