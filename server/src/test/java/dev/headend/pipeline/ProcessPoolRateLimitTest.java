package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 100 simultaneous spawns of a real FFmpeg through a pool limited to 5 spawns per second in
 * bursts of 5, waiting at most 2 s for a token, on the real clock. The readings are roomy so
 * only the rate limit can refuse.
 */
@NeedsFfmpeg
class ProcessPoolRateLimitTest {
    private static final int CALLS = 100;
    private static final int BURST = 5;
    private static final double RATE = 5.0;
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);
    private static final PoolLimits LIMITS = new PoolLimits(100, RATE, BURST, 85, 100, MAX_WAIT,
            64L * 1024 * 1024, 16);
    private static final ProcessSpec FFMPEG = PoolFixture.spec("ratelimit", "ffmpeg", "-hide_banner", "-nostdin",
            "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5", "-t", "30",
            "-f", "mpegts", "pipe:1");

    @Test
    void simultaneousSpawnsStartNoFasterThanBurstPlusRateAndTheRestAreRefused() throws Exception {
        ConcurrentLinkedQueue<PipelineProcess> spawned = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> startedNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> refused = new ConcurrentLinkedQueue<>();
        try (PoolFixture fixture = new PoolFixture()) {
            ProcessPool pool = new ProcessPool(LIMITS, new FakeSystemProbe(), TimeSource.system(), fixture.owner);
            CountDownLatch go = new CountDownLatch(1);
            long start;
            // platform threads: a process start blocks its virtual thread's carrier, so on a loaded
            // two-core machine virtual callers would reach the limiter one start at a time, not at once
            try (ExecutorService callers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
                for (int i = 0; i < CALLS; i++) {
                    callers.submit(() -> {
                        go.await();
                        try {
                            PipelineProcess p = pool.spawn(FFMPEG, PoolFixture.discard(), exit -> {});
                            startedNanos.add(System.nanoTime());
                            fixture.track(p);
                            spawned.add(p);
                        } catch (Exception e) {
                            refused.add(e);
                        }
                        return null;
                    });
                }
                start = System.nanoTime();
                go.countDown();
                callers.shutdown();
                // each call ends within its 2 s wait plus a process start; a loaded machine starts slowly
                assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).as("every call answered").isTrue();
            }

            assertThat(spawned.size() + refused.size()).isEqualTo(CALLS);
            assertThat(refused).isNotEmpty().allSatisfy(e -> assertThat(e)
                    .isInstanceOfSatisfying(SpawnRefusedException.class,
                            r -> assertThat(r.code()).isEqualTo(SpawnRefusedException.SPAWN_RATE_LIMITED)));
            // every token due within the wait of the first call was used
            assertThat(spawned).hasSizeGreaterThanOrEqualTo(BURST + (int) (RATE * MAX_WAIT.toSeconds()));
            // when each spawn returned, its process just started
            List<Long> instants = new ArrayList<>(startedNanos);
            instants.sort(Comparator.naturalOrder());
            for (int k = 1; k <= instants.size(); k++) {
                double seconds = (instants.get(k - 1) - start) / 1e9;
                assertThat((double) k).as("spawn %d, %.3f s after the calls began", k, seconds)
                        .isLessThanOrEqualTo(BURST + RATE * seconds);
            }
            assertThat(pool.stats().spawned()).isEqualTo(spawned.size());
            assertThat(pool.stats().refused()).containsEntry(SpawnRefusedException.SPAWN_RATE_LIMITED,
                    (long) refused.size());

            spawned.forEach(p -> p.stop(Duration.ofSeconds(2)));

            await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 0);
            assertThat(fixture.markedProcesses()).isEmpty();
            assertThat(spawned).noneMatch(PipelineProcess::alive);
        }
    }
}
