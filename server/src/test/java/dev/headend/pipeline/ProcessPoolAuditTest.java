package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.support.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's audit against real processes carrying the pool owner's marker. */
class ProcessPoolAuditTest {
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final PoolFixture fixture = new PoolFixture();
    private final ProcessPool pool = new ProcessPool(PoolLimits.defaults(), new FakeSystemProbe(),
            new ManualTime(NOW), fixture.owner);

    @AfterEach
    void cleanUp() {
        fixture.close();
    }

    @Test
    void untrackedProcessWithThePoolMarkerIsKilledAndTrackedOnesAreKept() throws Exception {
        PipelineProcess tracked = fixture.spawn(pool, PoolFixture.spec("tracked", "sleep", "300"));
        Process orphan = PoolFixture.markedSleep(fixture.owner);
        Process foreign = PoolFixture.markedSleep(fixture.owner + "-other");
        try {
            assertThat(fixture.markedProcesses()).containsExactlyInAnyOrder(tracked.pid(), orphan.pid());

            AuditResult result = pool.audit();

            assertThat(result).isEqualTo(new AuditResult(1, 0, NOW));
            await().atMost(SETTLE).until(() -> !orphan.isAlive());
            assertThat(tracked.alive()).isTrue();
            assertThat(foreign.isAlive()).isTrue();
            assertThat(pool.running()).isEqualTo(1);
            assertThat(fixture.markedProcesses()).containsExactly(tracked.pid());
            assertThat(pool.stats().lastAudit()).hasValue(result);
        } finally {
            orphan.destroyForcibly();
            foreign.destroyForcibly();
        }
    }

    @Test
    void auditOfAHealthyPoolChangesNothing() throws Exception {
        PipelineProcess tracked = fixture.spawn(pool, PoolFixture.spec("tracked", "sleep", "300"));

        assertThat(pool.audit()).isEqualTo(new AuditResult(0, 0, NOW));

        assertThat(tracked.alive()).isTrue();
        assertThat(pool.running()).isEqualTo(1);
    }

    @Test
    void pipelineGoneWithoutReportingItsExitIsRemovedAndItsLeftoverKilled() throws Exception {
        // the shell leaves a sleep behind that holds the pipeline's stdout open, then becomes
        // the pipeline's own sleep; once the reader is blocked reading stdout, killing that
        // process alone leaves the reader waiting for an end of file that never comes, so the
        // exit is never reported (the JDK's end-of-process drain of stdout waits for the read)
        PipelineProcess vanishing = fixture.spawn(pool,
                PoolFixture.spec("vanishing", "sh", "-c", "sleep 300 & exec sleep 300"));
        await().atMost(SETTLE).until(() -> fixture.markedProcesses().size() == 2
                && readerBlockedInRead("ffmpeg-out-vanishing-" + vanishing.pid()));
        ProcessHandle.of(vanishing.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(SETTLE).until(() -> !vanishing.alive());
        assertThat(fixture.markedProcesses()).hasSize(1).doesNotContain(vanishing.pid());
        assertThat(vanishing.exit()).isNotDone();

        AuditResult result = pool.audit();

        assertThat(result).isEqualTo(new AuditResult(1, 1, NOW));
        assertThat(pool.running()).isZero();
        await().atMost(SETTLE).until(() -> fixture.markedProcesses().isEmpty());
        assertThat(vanishing.exit().get(SETTLE.toSeconds(), TimeUnit.SECONDS).requested()).isFalse();
        assertThat(pool.running()).isZero();
    }

    private static boolean readerBlockedInRead(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(t -> t.getKey().getName().equals(threadName))
                .anyMatch(t -> t.getKey().getState() == Thread.State.RUNNABLE && Arrays.stream(t.getValue())
                        .anyMatch(f -> f.getClassName().equals("java.io.FileInputStream")
                                && f.getMethodName().startsWith("read") && f.isNativeMethod()));
    }
}
