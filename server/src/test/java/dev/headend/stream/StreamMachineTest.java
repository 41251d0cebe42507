package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import dev.headend.pipeline.ProcessExit;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.resilience.CircuitState;
import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.resilience.RestartDecision;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.StreamCommand.EndStore;
import dev.headend.stream.StreamCommand.Ended;
import dev.headend.stream.StreamCommand.HideSlate;
import dev.headend.stream.StreamCommand.Kill;
import dev.headend.stream.StreamCommand.PrepareSlate;
import dev.headend.stream.StreamCommand.Ready;
import dev.headend.stream.StreamCommand.ReplacementDue;
import dev.headend.stream.StreamCommand.RestartDue;
import dev.headend.stream.StreamCommand.Schedule;
import dev.headend.stream.StreamCommand.ShowSlate;
import dev.headend.stream.StreamCommand.Spawn;
import dev.headend.stream.StreamCommand.Stop;
import dev.headend.stream.StreamCommand.Unavailable;
import dev.headend.support.ManualTime;
import dev.headend.support.TestChannels;
import dev.headend.support.TestSegments;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The stream's state machine on its own: events in, commands out, with the real restart policy
 * on a manual clock. No process, thread or byte is involved.
 */
class StreamMachineTest {
    private static final Segment SEGMENT = TestSegments.closed();
    private static final ProcessExit CRASH = new ProcessExit(1, "Connection refused", false);
    private static final ProgressStats FINE = new ProgressStats(250, 25, 1.0, 300, 0, 0);
    private static final Duration COOLDOWN = Duration.ofSeconds(30);
    private static final Duration FAILBACK = Duration.ofSeconds(300);
    private static final StreamSettings SETTINGS = new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20),
            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
            new Failover(3, Duration.ofSeconds(300), FAILBACK));

    private final ManualTime time = new ManualTime();
    private final RestartPolicy policy = new RestartPolicy(RestartPolicy.Config.defaults(), time);
    private Channel channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a", "rtsp://192.0.2.1/b");
    private StreamMachine machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);

    private Moment now() {
        return time.now();
    }

    private void advance(Duration d) {
        time.advance(d);
    }

    /** Launches and brings the first run to its first segment; returns its id. */
    private long running() {
        long run = spawnOf(machine.launch(now()));
        machine.spawned(run);
        machine.segmentClosed(run, SEGMENT, now());
        assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
        return run;
    }

    private static long spawnOf(List<StreamCommand> commands) {
        return commands.stream().filter(c -> c instanceof Spawn).map(c -> ((Spawn) c).runId()).findFirst()
                .orElseThrow(() -> new AssertionError("no spawn in " + commands));
    }

    private static Schedule scheduleOf(List<StreamCommand> commands) {
        return commands.stream().filter(c -> c instanceof Schedule).map(c -> (Schedule) c).findFirst()
                .orElseThrow(() -> new AssertionError("nothing scheduled in " + commands));
    }

    @Nested
    class StartingAndRunning {
        @Test
        void launchStartsTheFirstRunOnTheFirstSource() {
            List<StreamCommand> commands = machine.launch(now());

            assertThat(commands).containsExactly(new Spawn(1, channel, channel.sources().get(0)));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Starting.class);
            assertThat(machine.view().health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        }

        @Test
        void theFirstSegmentMakesTheStreamRunningReadyAndPreparesItsSlate() {
            long run = spawnOf(machine.launch(now()));
            machine.spawned(run);

            List<StreamCommand> commands = machine.segmentClosed(run, SEGMENT, now());

            assertThat(commands).containsExactly(new HideSlate(), new Ready(), new PrepareSlate(channel, SEGMENT));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
            assertThat(machine.view().health()).isEqualTo(HealthVerdict.HEALTHY);
            assertThat(machine.view().liveRunId()).isEqualTo(run);
            assertThat(machine.segmentClosed(run, SEGMENT, now())).as("later segments change nothing").isEmpty();
        }

        @Test
        void aProcessThatArrivesAfterTheStreamStoppedIsStoppedAtOnce() {
            long run = spawnOf(machine.launch(now()));
            machine.stop("stopped by API request");

            assertThat(machine.spawned(run)).containsExactly(new Stop(run, false));
        }

        @Test
        void anExitTheServerAskedForChangesNothing() {
            long run = running();

            assertThat(machine.exited(run, new ProcessExit(143, "stopped", true), 1, now())).isEmpty();
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
            assertThat(machine.view().restarts()).isZero();
        }
    }

    @Nested
    class FailuresBeforeTheFirstSegment {
        @Test
        void aSourceThatFailsAtStartIsLeftForTheNextAtOnceWithoutARestartDecision() {
            long first = spawnOf(machine.launch(now()));
            machine.spawned(first);

            List<StreamCommand> commands = machine.exited(first, CRASH, 1, now());

            assertThat(commands).containsExactly(new Spawn(2, channel, channel.sources().get(1)));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Starting.class);
            assertThat(policy.counts().values()).containsOnly(0L);
        }

        @Test
        void whenEverySourceFailedAtStartTheStreamFailsAndTheBreakerCountsIt() {
            long first = spawnOf(machine.launch(now()));
            long second = spawnOf(machine.exited(first, CRASH, 1, now()));

            List<StreamCommand> commands = machine.exited(second, CRASH, 1, now());

            assertThat(commands).containsExactly(
                    new Unavailable("source_failed", "channel cam could not start: Connection refused"),
                    new EndStore(), new HideSlate(), new Ended());
            assertThat(machine.view().state()).isEqualTo(new StreamState.Failed("Connection refused"));
            assertThat(machine.view().health().status()).isEqualTo(HealthStatus.FAILED);
            assertThat(machine.terminal()).isTrue();
        }

        @Test
        void aStartCoveredBySlateIsRetriedBehindTheSlateWhileWatchedAndThePictureFollows() {
            channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
            machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);
            long run = spawnOf(machine.launch(now()));
            machine.spawned(run);
            assertThat(machine.coverStartWithSlate()).isEmpty();

            List<StreamCommand> commands = machine.exited(run, CRASH, 1, now());

            assertThat(commands).contains(new ShowSlate()).noneMatch(c -> c instanceof Unavailable || c instanceof Ended);
            assertThat(machine.view().state()).isInstanceOf(StreamState.Restarting.class);
            assertThat(machine.view().lastError()).isEqualTo("Connection refused");
            assertThat(machine.terminal()).isFalse();
            Schedule restart = (Schedule) commands.stream().filter(c -> c instanceof Schedule).findFirst().orElseThrow();

            long next = spawnOf(machine.due(restart.due(), restart.at()));
            machine.spawned(next);
            List<StreamCommand> picture = machine.segmentClosed(next, TestSegments.closed(), now());
            assertThat(picture).contains(new HideSlate(), new Ready());
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
        }

        @Test
        void aCoveredStartThatNobodyWatchesAnyMoreFailsAsAnyOther() {
            channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
            machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);
            long run = spawnOf(machine.launch(now()));
            machine.coverStartWithSlate();

            List<StreamCommand> commands = machine.exited(run, CRASH, 0, now());

            assertThat(commands).first().isEqualTo(new Unavailable("source_failed",
                    "channel cam could not start: Connection refused"));
            assertThat(machine.terminal()).isTrue();
        }

        @Test
        void fiveFailedStartsOpenTheCircuit() {
            channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
            for (int i = 0; i < 5; i++) {
                machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);
                machine.exited(spawnOf(machine.launch(now())), CRASH, 1, now());
            }

            assertThat(policy.circuitState("cam")).isEqualTo(CircuitState.OPEN);
            assertThat(policy.blockedUntil("cam")).contains(now().plus(Duration.ofSeconds(120)));
        }

        @Test
        void aRefusedSpawnFailsWithTheRefusalsCode() {
            channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
            machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);
            long run = spawnOf(machine.launch(now()));

            List<StreamCommand> commands = machine.spawnFailed(run, "spawn refused (process_limit): full",
                    Optional.of("process_limit"), 1, now());

            assertThat(commands).first().isEqualTo(new Unavailable("process_limit",
                    "channel cam could not start: spawn refused (process_limit): full"));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Failed.class);
        }

        @Test
        void aStartTheSpawnRateLimiterRefusesEndsWithItsCodeButNeitherFailsOverNorCountsForTheBreaker() {
            for (int i = 0; i < 5; i++) {
                machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);
                long run = spawnOf(machine.launch(now()));

                List<StreamCommand> commands = machine.spawnFailed(run, "spawn refused (spawn_rate_limited): no token",
                        Optional.of(SpawnRefusedException.SPAWN_RATE_LIMITED), 1, now());

                assertThat(commands).containsExactly(new Unavailable("spawn_rate_limited",
                        "channel cam could not start: spawn refused (spawn_rate_limited): no token"),
                        new EndStore(), new HideSlate(), new Ended());
                assertThat(machine.view().activeSourceIndex()).as("the source did not fail").isZero();
            }

            assertThat(policy.circuitState("cam")).isEqualTo(CircuitState.CLOSED);
            assertThat(policy.counts().values()).containsOnly(0L);
        }

        @Test
        void aRunWhoseKeyframesAreTooFarApartIsKilledAndTheStreamFailsWithThatReason() {
            channel = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
            machine = new StreamMachine(channel, () -> 4, SETTINGS, policy);
            long run = spawnOf(machine.launch(now()));
            machine.spawned(run);
            String reason = "keyframes too far apart; transcode this channel with profile: h264";

            assertThat(machine.unfit(run, reason)).containsExactly(new Kill(run));
            assertThat(machine.unfit(run + 1, reason)).as("an unknown run").isEmpty();
            List<StreamCommand> commands = machine.exited(run, new ProcessExit(137, "ffmpeg killed by signal 9",
                    false), 1, now());

            String expected = reason + " (then ffmpeg killed by signal 9)";
            assertThat(commands).first().isEqualTo(new Unavailable("source_failed",
                    "channel cam could not start: " + expected));
            assertThat(machine.view().state()).isEqualTo(new StreamState.Failed(expected));
            assertThat(machine.view().lastError()).isEqualTo(expected);
        }

        @Test
        void aRunWithoutAFirstSegmentIsKilledOnlyAfterTheStartTimeout() {
            long run = spawnOf(machine.launch(now()));
            machine.spawned(run);
            advance(Duration.ofSeconds(20));

            assertThat(machine.checkStartTimeout(Duration.ofSeconds(20), now()).answer()).isFalse();

            advance(Duration.ofSeconds(1));
            StreamMachine.Outcome<Boolean> outcome = machine.checkStartTimeout(Duration.ofSeconds(20), now());

            assertThat(outcome.answer()).isTrue();
            assertThat(outcome.commands()).containsExactly(new Kill(run));
            assertThat(machine.view().lastError()).startsWith("stalled: no first segment");
        }
    }

    @Nested
    class RestartsOfARunningStream {
        @Test
        void aCrashWhileWatchedShowsTheSlateAndSchedulesTheRestartThePolicyAllows() {
            long run = running();

            List<StreamCommand> commands = machine.exited(run, CRASH, 1, now());

            assertThat(commands).containsExactly(new ShowSlate(), new Schedule(now(), new RestartDue()));
            StreamMachine.View v = machine.view();
            assertThat(v.state()).isEqualTo(new StreamState.Restarting("Connection refused", now()));
            assertThat(v.restarts()).isEqualTo(1);
            assertThat(v.lastError()).isEqualTo("Connection refused");
            assertThat(v.nextRestartAt()).isEqualTo(now());
            assertThat(v.health()).isEqualTo(new HealthVerdict(HealthStatus.FAILED, "Connection refused"));
            assertThat(v.liveRunId()).isEqualTo(-1);
        }

        @Test
        void theRestartStartsANewRunWhichRecoversAtItsFirstSegment() {
            machine.exited(running(), CRASH, 1, now());

            long next = spawnOf(machine.due(new RestartDue(), now()));
            machine.spawned(next);
            List<StreamCommand> recovered = machine.segmentClosed(next, SEGMENT, now());

            assertThat(recovered).containsExactly(new HideSlate(), new PrepareSlate(channel, SEGMENT));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
            assertThat(machine.view().lastError()).as("the last error stays visible").isEqualTo("Connection refused");
        }

        @Test
        void aSecondCrashSoonAfterWaitsForTheCooldown() {
            machine.exited(running(), CRASH, 1, now());
            Moment firstRestart = now();
            long next = spawnOf(machine.due(new RestartDue(), now()));
            machine.segmentClosed(next, SEGMENT, now());
            advance(Duration.ofSeconds(5));

            Schedule s = scheduleOf(machine.exited(next, CRASH, 1, now()));

            assertThat(s.at()).isEqualTo(firstRestart.plus(COOLDOWN));
            assertThat(machine.view().restarts()).isEqualTo(2);
        }

        @Test
        void aDueRestartOfAStreamThatRecoveredMeanwhileStartsNothing() {
            long run = running();
            machine.restart(now());
            long replacement = spawnOf(machine.due(new ReplacementDue(RunPurpose.OPERATOR, 0), now()));
            machine.spawned(replacement);
            machine.exited(run, CRASH, 1, now());

            List<StreamCommand> takeover = machine.segmentClosed(replacement, SEGMENT, now());

            assertThat(takeover).containsExactly(new HideSlate(), new PrepareSlate(channel, SEGMENT));
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
            assertThat(machine.due(new RestartDue(), now())).isEmpty();
        }

        @Test
        void anOnDemandStreamNobodyWatchesStopsInsteadOfRestarting() {
            long run = running();

            List<StreamCommand> commands = machine.exited(run, CRASH, 0, now());

            assertThat(commands).containsExactly(new EndStore(), new HideSlate(), new Ended());
            assertThat(machine.view().state())
                    .isEqualTo(new StreamState.Stopped("pipeline ended with no viewers: Connection refused"));
        }

        @Test
        void anAlwaysOnStreamRestartsWithoutViewers() {
            channel = TestChannels.alwaysOn("cam", "rtsp://192.0.2.1/a");
            machine = new StreamMachine(channel, () -> 1, SETTINGS, policy);

            assertThat(machine.exited(running(), CRASH, 0, now())).contains(new ShowSlate());
            assertThat(machine.view().state()).isInstanceOf(StreamState.Restarting.class);
        }

        @Test
        void theFifthCrashInTheBreakerWindowOpensTheCircuitAndTheRestartWaitsForItsEnd() {
            long run = running();
            for (int crash = 1; crash < 5; crash++) {
                Schedule s = scheduleOf(machine.exited(run, CRASH, 1, now()));
                advance(now().until(s.at()));
                run = spawnOf(machine.due(new RestartDue(), now()));
                machine.segmentClosed(run, SEGMENT, now());
            }

            Schedule afterOpen = scheduleOf(machine.exited(run, CRASH, 1, now()));

            assertThat(policy.counts()).containsEntry(Verdict.CIRCUIT_OPEN, 1L);
            assertThat(afterOpen.at()).isEqualTo(now().plus(Duration.ofSeconds(120)));
            assertThat(policy.circuitState("cam")).isEqualTo(CircuitState.OPEN);
        }
    }

    @Nested
    class HealthAndStalls {
        @Test
        void theHealthFollowsSpeedAndDroppedFrames() {
            running();
            advance(Duration.ofSeconds(6));

            machine.tick(new ProgressStats(1, 25, 0.8, 300, 0, 0), now(), now());
            assertThat(machine.view().health().status()).isEqualTo(HealthStatus.DEGRADED);

            machine.tick(new ProgressStats(1, 25, 0.4, 300, 0, 0), now(), now());
            assertThat(machine.view().health().status()).isEqualTo(HealthStatus.UNHEALTHY);

            machine.tick(new ProgressStats(1, 25, 1.0, 300, 3, 0), now(), now());
            assertThat(machine.view().health()).isEqualTo(new HealthVerdict(HealthStatus.DEGRADED, "dropping frames"));

            advance(Duration.ofSeconds(11));
            machine.tick(new ProgressStats(1, 25, 1.0, 300, 3, 0), now(), now());
            assertThat(machine.view().health()).isEqualTo(HealthVerdict.HEALTHY);
        }

        @Test
        void speedIsIgnoredWhileTheRunWarmsUp() {
            running();

            machine.tick(new ProgressStats(1, 25, 0.2, 300, 0, 0), now(), now());

            assertThat(machine.view().health()).isEqualTo(HealthVerdict.HEALTHY);
        }

        @Test
        void noSegmentForThreeTargetDurationsKillsTheRunAndItsRestartIsAStall() {
            long run = running();
            Moment lastSegment = now();
            machine.spawned(run);
            advance(Duration.ofMillis(2500));
            assertThat(machine.tick(FINE, lastSegment, now())).isEmpty();
            assertThat(machine.view().health().status()).isEqualTo(HealthStatus.UNHEALTHY);

            advance(Duration.ofMillis(600));
            assertThat(machine.tick(FINE, lastSegment, now())).containsExactly(new Kill(run));
            assertThat(machine.view().lastError()).isEqualTo("stalled: no new segment for 3.1 s");

            machine.exited(run, new ProcessExit(137, "ffmpeg killed by signal 9", false), 1, now());
            assertThat(machine.view().lastError())
                    .isEqualTo("stalled: no new segment for 3.1 s (then ffmpeg killed by signal 9)");
        }

        @Test
        void fifteenSecondsTooSlowKillTheRunAsUnhealthy() {
            long run = running();
            machine.spawned(run);
            advance(Duration.ofSeconds(6));
            ProgressStats slow = new ProgressStats(1, 20, 0.8, 300, 0, 0);
            for (int i = 0; i < 15; i++) {
                assertThat(machine.tick(slow, now(), now())).isEmpty();
                advance(Duration.ofSeconds(1));
            }

            assertThat(machine.tick(slow, now(), now())).containsExactly(new Kill(run));
            assertThat(machine.view().lastError()).startsWith("too slow: speed 0.8x");
        }

        @Test
        void aRunOlderThanTheLongRunLimitIsReplacedSeamlessly() {
            long run = running();
            advance(Duration.ofHours(24).plusSeconds(1));

            Schedule s = scheduleOf(machine.tick(FINE, now(), now()));

            assertThat(s.due()).isEqualTo(new ReplacementDue(RunPurpose.LONG_RUN, 0));
            assertThat(machine.tick(FINE, now(), now())).as("one replacement at a time").isEmpty();
            long next = spawnOf(machine.due(s.due(), now()));
            assertThat(machine.segmentClosed(next, SEGMENT, now()))
                    .containsExactly(new PrepareSlate(channel, SEGMENT), new Stop(run, false));
            assertThat(machine.view().liveRunId()).isEqualTo(next);
        }
    }

    @Nested
    class FailoverBetweenSources {
        /** Runs on the second source: three failures of the first within the window moved it there. */
        private long onSecondSource() {
            long run = running();
            for (int i = 0; i < 3; i++) {
                Schedule s = scheduleOf(machine.exited(run, CRASH, 1, now()));
                advance(now().until(s.at()));
                run = spawnOf(machine.due(new RestartDue(), now()));
                machine.spawned(run);
                machine.segmentClosed(run, SEGMENT, now());
            }
            assertThat(machine.view().activeSourceIndex()).isEqualTo(1);
            return run;
        }

        @Test
        void threeFailuresOfTheSourceInTheWindowMoveToTheNext() {
            onSecondSource();

            assertThat(machine.view().activeSource()).isEqualTo(channel.sources().get(1));
        }

        @Test
        void afterTheFailbackPeriodStableTheFirstSourceIsTriedBesideTheRunningOne() {
            long run = onSecondSource();
            advance(FAILBACK.minusSeconds(1));
            assertThat(machine.tick(FINE, now(), now())).isEmpty();
            advance(Duration.ofSeconds(1));

            Schedule s = scheduleOf(machine.tick(FINE, now(), now()));

            assertThat(s.due()).isEqualTo(new ReplacementDue(RunPurpose.FAILBACK, 0));
            List<StreamCommand> spawn = machine.due(s.due(), now());
            assertThat(spawn).containsExactly(new Spawn(spawnOf(spawn), channel, channel.sources().get(0)));
            long back = spawnOf(spawn);
            assertThat(machine.segmentClosed(back, SEGMENT, now()))
                    .containsExactly(new PrepareSlate(channel, SEGMENT), new Stop(run, false));
            assertThat(machine.view().activeSourceIndex()).isZero();
        }

        @Test
        void aFailedFailbackStaysOnTheFallbackForAnotherPeriod() {
            onSecondSource();
            advance(FAILBACK);
            long back = spawnOf(machine.due(scheduleOf(machine.tick(FINE, now(), now())).due(), now()));
            machine.spawned(back);

            assertThat(machine.exited(back, CRASH, 1, now())).isEmpty();

            assertThat(machine.view().activeSourceIndex()).isEqualTo(1);
            assertThat(machine.view().lastError()).isEqualTo("replacement pipeline failed: Connection refused");
            advance(FAILBACK.minusSeconds(1));
            assertThat(machine.tick(FINE, now(), now())).isEmpty();
            advance(Duration.ofSeconds(1));
            assertThat(scheduleOf(machine.tick(FINE, now(), now())).due())
                    .isEqualTo(new ReplacementDue(RunPurpose.FAILBACK, 0));
        }
    }

    @Nested
    class OperatorRestartAndReconfiguration {
        @Test
        void anOperatorRestartStartsAReplacementThatTakesOverAtASegmentBoundary() {
            long run = running();

            StreamMachine.Outcome<Optional<RestartDecision>> asked = machine.restart(now());

            assertThat(asked.answer()).hasValueSatisfying(d -> assertThat(d.verdict()).isEqualTo(Verdict.NOW));
            assertThat(asked.commands())
                    .containsExactly(new Schedule(now(), new ReplacementDue(RunPurpose.OPERATOR, 0)));
            assertThat(machine.restart(now()).answer()).as("a second request while one is pending").isEmpty();
            long next = spawnOf(machine.due(new ReplacementDue(RunPurpose.OPERATOR, 0), now()));
            assertThat(machine.view().liveRunId()).as("the old run plays until the new one produces").isEqualTo(run);
            assertThat(machine.segmentClosed(next, SEGMENT, now()))
                    .containsExactly(new PrepareSlate(channel, SEGMENT), new Stop(run, false));
            assertThat(machine.view().liveRunId()).isEqualTo(next);
            assertThat(machine.view().restarts()).as("a hot swap is no restart").isZero();
        }

        @Test
        void aStreamThatIsNotRunningCannotBeRestarted() {
            machine.launch(now());

            assertThat(machine.restart(now()).answer()).isEmpty();
        }

        @Test
        void aNewDefinitionOfThePipelineIsHotSwapped() {
            long run = running();
            Channel renamedPattern = TestChannels.withSources(channel, "rtsp://192.0.2.1/c");

            StreamMachine.Outcome<Boolean> reconfigured = machine.reconfigure(renamedPattern, now());

            assertThat(reconfigured.answer()).isTrue();
            Schedule s = scheduleOf(reconfigured.commands());
            assertThat(s.due()).isEqualTo(new ReplacementDue(RunPurpose.RECONFIGURE, 0));
            List<StreamCommand> spawn = machine.due(s.due(), now());
            assertThat(spawn).containsExactly(new Spawn(spawnOf(spawn), renamedPattern,
                    renamedPattern.sources().get(0)));
            assertThat(machine.segmentClosed(spawnOf(spawn), SEGMENT, now()))
                    .containsExactly(new PrepareSlate(renamedPattern, SEGMENT), new Stop(run, false));
        }

        @Test
        void guideDataChangesApplyWithoutTouchingThePipeline() {
            running();
            Channel numbered = TestChannels.numbered(channel, 7);

            StreamMachine.Outcome<Boolean> reconfigured = machine.reconfigure(numbered, now());

            assertThat(reconfigured.answer()).isFalse();
            assertThat(reconfigured.commands()).isEmpty();
            assertThat(machine.view().channel()).isEqualTo(numbered);
        }

        @Test
        void aFailedSwapIsRetriedAfterTheCooldownAsAFailure() {
            running();
            Channel moved = TestChannels.withSources(channel, "rtsp://192.0.2.1/c");
            Schedule first = scheduleOf(machine.reconfigure(moved, now()).commands());
            long replacement = spawnOf(machine.due(first.due(), now()));
            machine.spawned(replacement);
            assertThat(machine.exited(replacement, CRASH, 1, now())).isEmpty();
            advance(Duration.ofSeconds(1));

            Schedule retry = scheduleOf(machine.tick(FINE, now(), now()));

            assertThat(retry.at()).isEqualTo(first.at().plus(COOLDOWN));
            assertThat(policy.counts()).containsEntry(Verdict.COOLDOWN, 1L);
        }

        @Test
        void aSwapTheSpawnRateLimiterRefusesIsTriedAgainShortlyBesideTheLiveRunAndCountsNoFailure() {
            long run = running();
            Channel moved = TestChannels.withSources(channel, "rtsp://192.0.2.1/c");
            Schedule first = scheduleOf(machine.reconfigure(moved, now()).commands());
            long refused = spawnOf(machine.due(first.due(), now()));

            List<StreamCommand> commands = machine.spawnFailed(refused, "spawn refused (spawn_rate_limited)",
                    Optional.of(SpawnRefusedException.SPAWN_RATE_LIMITED), 1, now());

            assertThat(commands).containsExactly(new Schedule(now().plus(StreamMachine.RATE_LIMIT_RETRY),
                    new ReplacementDue(RunPurpose.RECONFIGURE, 0)));
            assertThat(machine.view().liveRunId()).as("the old run plays on").isEqualTo(run);
            assertThat(machine.view().state()).isInstanceOf(StreamState.Running.class);
            assertThat(machine.tick(FINE, now(), now())).as("the retry is already scheduled").isEmpty();
            advance(StreamMachine.RATE_LIMIT_RETRY);
            long retried = spawnOf(machine.due(new ReplacementDue(RunPurpose.RECONFIGURE, 0), now()));
            assertThat(machine.segmentClosed(retried, SEGMENT, now()))
                    .containsExactly(new PrepareSlate(moved, SEGMENT), new Stop(run, false));
            assertThat(policy.counts()).as("one decision, the configuration change")
                    .containsEntry(Verdict.NOW, 1L).containsEntry(Verdict.COOLDOWN, 0L);
            assertThat(policy.circuitState("cam")).isEqualTo(CircuitState.CLOSED);
        }

        @Test
        void anotherChannelsDefinitionIsRefused() {
            assertThatThrownBy(() -> machine.reconfigure(TestChannels.onDemand("other", "test:"), now()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Stopping {
        @Test
        void stopEndsTheStoreAndStopsBothRunsAndWaitsForThem() {
            long run = running();
            machine.restart(now());
            long replacement = spawnOf(machine.due(new ReplacementDue(RunPurpose.OPERATOR, 0), now()));

            List<StreamCommand> commands = machine.stop("stopped by API request");

            assertThat(commands).containsExactly(new EndStore(),
                    new Unavailable("stream_stopped", "channel cam was stopped: stopped by API request"),
                    new HideSlate(), new Ended(), new Stop(replacement, true), new Stop(run, true));
            assertThat(machine.view().state()).isEqualTo(new StreamState.Stopped("stopped by API request"));
            assertThat(machine.stop("again")).as("idempotent").isEmpty();
            assertThat(machine.exited(run, CRASH, 1, now())).as("nothing restarts a stopped stream").isEmpty();
            assertThat(machine.due(new RestartDue(), now())).isEmpty();
        }
    }
}
