package dev.headend.pipeline;

import static dev.headend.pipeline.FakeSystemProbe.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.headend.support.ManualTime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's guards and cap with injected readings and a clock moved by hand; the processes are
 * real but cheap ({@code sleep}, {@code true}).
 */
class ProcessPoolGuardsTest {
    private static final long MIB = 1024 * 1024;
    /** Defaults, except a burst large enough that the unmoving clock never rate-limits. */
    private static final PoolLimits ROOMY_RATE = withMaxProcesses(64);
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final FakeSystemProbe probe = new FakeSystemProbe();
    private final ManualTime clock = new ManualTime();
    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void memoryUseAt86PercentIsRefusedWithMemoryGuard() {
        ProcessPool pool = pool(ROOMY_RATE);
        probe.memoryUsedPercent(86);

        assertRefused(pool, SpawnRefusedException.MEMORY_GUARD);

        assertNothingSpawned(pool);
        assertThat(pool.stats().refused()).containsEntry(SpawnRefusedException.MEMORY_GUARD, 1L);
    }

    @Test
    void memoryUseAt84PercentSpawnsAMarkedProcess() throws Exception {
        ProcessPool pool = pool(ROOMY_RATE);
        probe.memoryUsedPercent(84);

        PipelineProcess p = fixture.spawn(pool, sleep());

        assertThat(p.alive()).isTrue();
        assertThat(pool.running()).isEqualTo(1);
        assertThat(fixture.markedProcesses()).containsExactly(p.pid());
        assertThat(pool.stats().spawned()).isEqualTo(1);
    }

    @Test
    void fiftyFreeFileDescriptorsAreRefusedWithFdGuard() {
        ProcessPool pool = pool(ROOMY_RATE);
        probe.fds(1000, 950);

        assertRefused(pool, SpawnRefusedException.FD_GUARD);

        assertNothingSpawned(pool);
        assertThat(pool.stats().refused()).containsEntry(SpawnRefusedException.FD_GUARD, 1L);
    }

    @Test
    void effectiveCapShrinksWithLowMemoryAndFewFileDescriptors() {
        ProcessPool pool = pool(ROOMY_RATE);
        assertThat(pool.effectiveCap()).isEqualTo(64);

        probe.memory(GIB, 3 * 64 * MIB);
        assertThat(pool.effectiveCap()).isEqualTo(3);

        probe.memory(100 * GIB, 50 * GIB).fds(1000, 1000 - 100 - 2 * 16 - 15);
        assertThat(pool.effectiveCap()).isEqualTo(2);

        probe.fds(1000, 990);
        assertThat(pool.effectiveCap()).isZero();
    }

    @Test
    void spawnBeyondTheEffectiveCapIsRefusedWithProcessLimit() throws Exception {
        ProcessPool pool = pool(ROOMY_RATE);
        probe.memory(256 * MIB, 64 * MIB);
        assertThat(pool.effectiveCap()).isEqualTo(1);

        PipelineProcess only = fixture.spawn(pool, sleep());
        probe.memory(256 * MIB, 40 * MIB);

        assertRefused(pool, SpawnRefusedException.PROCESS_LIMIT);
        assertThat(pool.running()).isEqualTo(1);
        assertThat(fixture.markedProcesses()).containsExactly(only.pid());
    }

    @Test
    void reachingMaxProcessesIsRefusedWithProcessLimit() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(2));
        PipelineProcess first = fixture.spawn(pool, sleep());
        PipelineProcess second = fixture.spawn(pool, sleep());

        assertRefused(pool, SpawnRefusedException.PROCESS_LIMIT);

        assertThat(pool.running()).isEqualTo(2);
        assertThat(fixture.markedProcesses()).containsExactlyInAnyOrder(first.pid(), second.pid());
        assertThat(pool.stats().spawned()).isEqualTo(2);
        assertThat(pool.stats().refused()).containsEntry(SpawnRefusedException.PROCESS_LIMIT, 1L);
    }

    @Test
    void slotOfAnExitedPipelineIsFreeAgain() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(1));
        CompletableFuture<ProcessExit> reported = new CompletableFuture<>();
        PipelineProcess done = pool.spawn(PoolFixture.spec("short", "true"), PoolFixture.discard(), reported::complete);
        fixture.track(done);

        assertThat(reported.get(SETTLE.toSeconds(), TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(pool.running()).isZero();

        PipelineProcess next = fixture.spawn(pool, sleep());
        assertThat(next.alive()).isTrue();
        assertThat(pool.running()).isEqualTo(1);
    }

    @Test
    void stoppedPipelineFreesItsSlot() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(1));
        PipelineProcess first = fixture.spawn(pool, sleep());

        first.stop(Duration.ofSeconds(2));

        await().atMost(SETTLE).until(() -> pool.running() == 0);
        PipelineProcess second = fixture.spawn(pool, sleep());
        assertThat(fixture.markedProcesses()).containsExactly(second.pid());
    }

    @Test
    void failedSpawnFreesItsSlot() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(1));
        ProcessSpec nowhere = new ProcessSpec("nowhere", List.of("sleep", "300"),
                Path.of("/nonexistent/headend-work-dir"), Map.of());

        assertThatThrownBy(() -> pool.spawn(nowhere, PoolFixture.discard(), exit -> {}))
                .isInstanceOf(IOException.class);

        assertNothingSpawned(pool);
        assertThat(fixture.spawn(pool, sleep()).alive()).isTrue();
    }

    @Test
    void aToolRunTakesASlotWhileItRunsAndIsCountedApartFromPipelines() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(1));

        pool.run(PoolFixture.spec("probe", "true"), ToolRunner.Output.DISCARD);

        assertThat(pool.stats().toolRuns()).isEqualTo(1);
        assertThat(pool.stats().spawned()).isZero();
        assertThat(pool.toolsRunning()).isZero();
        assertThat(fixture.spawn(pool, sleep()).alive()).as("the slot is free again").isTrue();
        assertThatThrownBy(() -> pool.run(PoolFixture.spec("probe", "true"), ToolRunner.Output.DISCARD))
                .isInstanceOf(IOException.class).hasCauseInstanceOf(SpawnRefusedException.class);
    }

    @Test
    void aToolThatFailsReportsItsStatusAndFirstErrorLine() {
        ProcessPool pool = pool(ROOMY_RATE);

        assertThatThrownBy(() -> pool.run(PoolFixture.spec("probe", "sh", "-c", "echo first >&2; echo second >&2;"
                + " exit 3"), ToolRunner.Output.DISCARD))
                .isInstanceOf(IOException.class).hasMessage("sh exited with 3: first");
        assertThat(pool.toolsRunning()).isZero();
    }

    @Test
    void shutdownEndsWhatStillRunsAndStartsNothingMore() throws Exception {
        ProcessPool pool = pool(ROOMY_RATE);
        PipelineProcess pipeline = fixture.spawn(pool, sleep());
        CompletableFuture<Throwable> tool = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                pool.run(PoolFixture.spec("slate", "sleep", "300"), ToolRunner.Output.DISCARD);
                tool.complete(null);
            } catch (Exception e) {
                tool.complete(e);
            }
        });
        await().atMost(SETTLE).until(() -> pool.toolsRunning() == 1 && fixture.markedProcesses().size() == 2);

        assertThat(pool.shutdown(SETTLE)).isEqualTo(2);

        assertThat(tool.get(SETTLE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(pipeline.alive()).isFalse();
        assertThat(pool.running() + pool.toolsRunning()).isZero();
        assertThat(fixture.markedProcesses()).isEmpty();
        assertThatThrownBy(() -> pool.spawn(sleep(), PoolFixture.discard(), exit -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("the server is stopping");
        assertThatThrownBy(() -> pool.run(sleep(), ToolRunner.Output.DISCARD))
                .isInstanceOf(IOException.class).hasMessageContaining("the server is stopping");
    }

    @Test
    void specWithAnotherOwnersMarkerIsRejected() {
        ProcessPool pool = pool(ROOMY_RATE);
        ProcessSpec foreign = new ProcessSpec("foreign", List.of("sleep", "300"), PoolFixture.WORK_DIR,
                Map.of(OrphanReaper.MARKER, fixture.owner + "-other"));

        assertThatThrownBy(() -> pool.spawn(foreign, PoolFixture.discard(), exit -> {}))
                .isInstanceOf(IllegalArgumentException.class);

        assertNothingSpawned(pool);
        assertThat(OrphanReaper.find(fixture.owner + "-other")).isEmpty();
    }

    @Test
    void spawnWithoutATokenWithinTheWaitIsRefusedAndTakesNoToken() throws Exception {
        ProcessPool pool = pool(new PoolLimits(64, 1.0, 1, 85, 100, Duration.ZERO, 64 * MIB, 16));
        PipelineProcess first = fixture.spawn(pool, sleep());

        assertRefused(pool, SpawnRefusedException.SPAWN_RATE_LIMITED);
        assertRefused(pool, SpawnRefusedException.SPAWN_RATE_LIMITED);
        assertThat(pool.running()).isEqualTo(1);
        assertThat(fixture.markedProcesses()).containsExactly(first.pid());

        clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.spawn(pool, sleep()).alive()).isTrue();
        assertThat(pool.stats().refused()).containsEntry(SpawnRefusedException.SPAWN_RATE_LIMITED, 2L);
    }

    @Test
    void spawnWaitsForATokenDueWithinTheWait() throws Exception {
        ProcessPool pool = pool(new PoolLimits(64, 5.0, 1, 85, 100, Duration.ofSeconds(2), 64 * MIB, 16));
        fixture.spawn(pool, sleep());

        long before = System.nanoTime();
        PipelineProcess second = fixture.spawn(pool, sleep());

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(second.alive()).isTrue();
        assertThat(pool.running()).isEqualTo(2);
    }

    @Test
    void aSpawnNoLongerWantedOnceItsTokenIsThereStartsNothingAndGivesItsSlotBack() throws Exception {
        ProcessPool pool = pool(new PoolLimits(64, 5.0, 1, 85, 100, Duration.ofSeconds(2), 64 * MIB, 16));
        PipelineProcess first = fixture.spawn(pool, sleep());
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> pool.spawn(sleep(), PoolFixture.discard(), exit -> {}, () -> {
            asked.incrementAndGet();
            return false;
        })).isInstanceOf(IOException.class).hasMessage("sleeper: not started, no longer wanted");

        assertThat(asked).hasValue(1);
        assertThat(pool.running()).isEqualTo(1);
        assertThat(pool.stats().spawned()).isEqualTo(1);
        assertThat(pool.stats().refused()).containsOnly(Map.entry("memory_guard", 0L), Map.entry("fd_guard", 0L),
                Map.entry("process_limit", 0L), Map.entry("spawn_rate_limited", 0L));
        assertThat(fixture.markedProcesses()).containsExactly(first.pid());
    }

    @Test
    void statsCountSpawnsAndRefusalsByCode() throws Exception {
        ProcessPool pool = pool(withMaxProcesses(1));
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 0, 1, 0, 0, Map.of("memory_guard", 0L, "fd_guard", 0L,
                "process_limit", 0L, "spawn_rate_limited", 0L), Optional.empty()));

        fixture.spawn(pool, sleep());
        assertRefused(pool, SpawnRefusedException.PROCESS_LIMIT);
        probe.memoryUsedPercent(90);
        assertRefused(pool, SpawnRefusedException.MEMORY_GUARD);

        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 1, 1, 0, Map.of("memory_guard", 1L, "fd_guard", 0L,
                "process_limit", 1L, "spawn_rate_limited", 0L), Optional.empty()));
    }

    private ProcessPool pool(PoolLimits limits) {
        return new ProcessPool(limits, probe, clock, fixture.owner);
    }

    private static PoolLimits withMaxProcesses(int max) {
        PoolLimits d = PoolLimits.defaults();
        return new PoolLimits(max, d.spawnsPerSecond(), 1000, d.maxMemoryPercent(), d.minFreeFds(),
                d.maxRateWait(), d.bytesPerProcess(), d.fdsPerProcess());
    }

    private static ProcessSpec sleep() {
        return PoolFixture.spec("sleeper", "sleep", "300");
    }

    private static void assertRefused(ProcessPool pool, String code) {
        assertThatThrownBy(() -> pool.spawn(sleep(), PoolFixture.discard(), exit -> {}))
                .isInstanceOfSatisfying(SpawnRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith("channel sleeper: ");
                });
    }

    private void assertNothingSpawned(ProcessPool pool) {
        assertThat(pool.running()).isZero();
        assertThat(pool.stats().spawned()).isZero();
        assertThat(fixture.markedProcesses()).isEmpty();
    }
}
