package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.channel.OutputProfile;
import dev.headend.media.Segment;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.resilience.CircuitState;
import dev.headend.support.FakeLauncher.FakeProcess;
import dev.headend.support.TestChannels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The manager of streams with pretend processes and a manual clock: one stream per channel, and its policies. */
class StreamManagerTest {
    private static final Channel CAM = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
    private static final Channel LOBBY = TestChannels.alwaysOn("lobby", "rtsp://192.0.2.1/lobby");

    private final StreamHarness h = new StreamHarness(List.of(CAM, LOBBY));

    @Test
    void fiftyConcurrentStartsMakeOneStreamWithOneProcess() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StartResult>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    return h.manager.start("cam");
                }));
            }
            go.countDown();
        }

        List<StartResult> all = new ArrayList<>();
        for (Future<StartResult> r : results) {
            all.add(r.get());
        }
        assertThat(all).extracting(StartResult::stream).containsOnly(all.getFirst().stream());
        assertThat(all).filteredOn(r -> !r.alreadyRunning()).hasSize(1);
        assertThat(h.launcher.launched()).hasSize(1);
        assertThat(h.manager.all()).hasSize(1);
    }

    @Test
    void startingARunningStreamSaysSo() throws Exception {
        LiveStream first = h.manager.start("cam").stream();

        StartResult again = h.manager.start("cam");

        assertThat(again.alreadyRunning()).isTrue();
        assertThat(again.stream()).isSameAs(first);
    }

    @Test
    void anUnknownChannelIsRefused() {
        assertThatThrownBy(() -> h.manager.start("nope")).isInstanceOf(UnknownChannelException.class)
                .hasMessage("no channel with id 'nope'");
        assertThat(h.launcher.launched()).isEmpty();
    }

    @Test
    void whileItsCircuitIsOpenAChannelIsNotStartedAndTheRefusalSaysForHowLong() {
        for (int i = 0; i < 5; i++) {
            h.launcher.failNext("Connection refused");
            h.start("cam");
        }
        h.time.advance(Duration.ofSeconds(20));

        assertThatThrownBy(() -> h.manager.start("cam"))
                .isInstanceOfSatisfying(CircuitOpenException.class,
                        e -> assertThat(e.left()).isEqualTo(Duration.ofSeconds(100)))
                .hasMessageContaining("open until " + h.time.wallClock().plusSeconds(100));
        assertThat(h.launcher.launched()).as("nothing was spawned for the refused start").hasSize(0);

        h.time.advance(Duration.ofSeconds(100));
        h.start("cam");
        assertThat(h.launcher.launched()).as("the probe after the open period").hasSize(1);
    }

    @Test
    void startsTheSpawnRateLimiterRefusesAreNoFailuresSoTheCircuitStaysClosedAndTheChannelThenPlays() {
        for (int i = 0; i < 10; i++) {
            h.launcher.refuseNext(SpawnRefusedException.SPAWN_RATE_LIMITED);
            LiveStream refused = h.start("cam");

            assertThat(refused.state()).isInstanceOf(StreamState.Failed.class);
            assertThatThrownBy(() -> refused.awaitReady(Duration.ZERO))
                    .isInstanceOfSatisfying(StreamUnavailableException.class,
                            e -> assertThat(e.code()).isEqualTo(SpawnRefusedException.SPAWN_RATE_LIMITED));
            h.time.advance(Duration.ofSeconds(1));
        }

        assertThat(h.manager.circuitState("cam")).isEqualTo(CircuitState.CLOSED);
        assertThat(h.policy.blockedUntil("cam")).isEmpty();
        LiveStream s = h.start("cam");
        h.launcher.last().segments(1);
        assertThat(s.state()).isInstanceOf(StreamState.Running.class);
        assertThat(h.launcher.launched()).as("refused spawns launch nothing").hasSize(1);
    }

    @Test
    void startsRefusedByACapacityGuardOrFailingToStartStillCountAsFailures() {
        for (int i = 0; i < 4; i++) {
            h.launcher.refuseNext(SpawnRefusedException.PROCESS_LIMIT);
            h.start("cam");
        }
        assertThat(h.manager.circuitState("cam")).isEqualTo(CircuitState.CLOSED);

        h.launcher.failNext("Connection refused");
        h.start("cam");

        assertThat(h.manager.circuitState("cam")).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> h.manager.start("cam")).isInstanceOf(CircuitOpenException.class);
    }

    @Test
    void aRestartTheSpawnRateLimiterRefusesIsTriedAgainEverySecondUnderTheSameDecision() {
        LiveStream s = h.start("cam");
        s.viewerJoined();
        h.launcher.last().segments(1);
        for (int i = 0; i < 6; i++) {
            h.launcher.refuseNext(SpawnRefusedException.SPAWN_RATE_LIMITED);
        }

        h.launcher.last().crash("Connection reset by peer");
        h.time.runDue();
        for (int retry = 1; retry <= 5; retry++) {
            assertThat(s.state()).as("retry %d", retry).isInstanceOfSatisfying(StreamState.Restarting.class,
                    r -> assertThat(r.reason()).contains("spawn_rate_limited"));
            h.time.advance(StreamMachine.RATE_LIMIT_RETRY);
        }
        assertThat(h.launcher.launched()).as("every retry was refused so far").hasSize(1);
        h.time.advance(StreamMachine.RATE_LIMIT_RETRY);

        assertThat(h.launcher.launched()).hasSize(2);
        h.launcher.last().segments(1);
        assertThat(s.state()).isInstanceOf(StreamState.Running.class);
        assertThat(s.snapshot().restarts()).as("one restart, retried").isEqualTo(1);
        assertThat(h.policy.counts().values().stream().mapToLong(Long::longValue).sum())
                .as("one restart decision").isEqualTo(1);
        assertThat(h.manager.circuitState("cam")).isEqualTo(CircuitState.CLOSED);
        for (int i = 0; i < 3; i++) {
            h.time.advance(Duration.ofSeconds(31));
            h.launcher.last().crash("Connection reset by peer");
            h.time.runDue();
            h.launcher.last().segments(1);
        }
        assertThat(h.manager.circuitState("cam")).as("four crashes").isEqualTo(CircuitState.CLOSED);
        h.time.advance(Duration.ofSeconds(31));
        h.launcher.last().crash("Connection reset by peer");
        assertThat(h.manager.circuitState("cam")).as("the fifth crash opens it; the refusals did not count")
                .isEqualTo(CircuitState.OPEN);
    }

    /** Lets {@code d} pass with the process producing in real time and the manager checking every half second. */
    private void runProducing(FakeProcess p, Duration d) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            p.produce(0.5);
            h.run(Duration.ofMillis(500));
        }
    }

    @Test
    void anOnDemandStreamStopsItsLingerTimeAfterItsLastViewerLeft() {
        LiveStream s = h.start("cam");
        FakeProcess p = h.launcher.last();
        s.viewerJoined();
        runProducing(p, Duration.ofSeconds(30));
        assertThat(s.terminal()).as("watched").isFalse();

        s.viewerLeft();
        runProducing(p, Duration.ofMillis(9500));
        assertThat(s.terminal()).as("within the linger time").isFalse();

        runProducing(p, Duration.ofMillis(500));
        assertThat(s.terminal()).isTrue();
        assertThat(p.stopped()).isTrue();
        assertThat(h.manager.find("cam")).isEmpty();
    }

    @Test
    void anOnDemandStreamIsNotStoppedWhileARequestWaitsForItsFirstSegmentAndLingersFromTheAnswer()
            throws Exception {
        StreamHarness harness = new StreamHarness(List.of(TestChannels.lingering(CAM, Duration.ofSeconds(2))));
        LiveStream s = harness.start("cam");
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> waiting = requests.submit(() -> {
                s.awaitReady(Duration.ofMinutes(1));
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> s.waiting() == 1);

            harness.run(Duration.ofSeconds(5));
            assertThat(s.terminal()).as("no viewer yet, but a request waits for it").isFalse();

            harness.launcher.last().segments(1);
            waiting.get();
        }
        assertThat(s.waiting()).isZero();
        harness.run(Duration.ofMillis(1500));
        assertThat(s.terminal()).as("within the linger time after the answer").isFalse();
        harness.run(Duration.ofMillis(500));
        assertThat(s.terminal()).isTrue();
    }

    @Test
    void anOnDemandStreamIsNotStoppedAsIdleBeforeItsFirstSegmentEvenBeforeARequestWaits() {
        StreamHarness harness = new StreamHarness(List.of(TestChannels.lingering(CAM, Duration.ofSeconds(1))));
        LiveStream s = harness.start("cam");

        // the request that started it has not begun to wait yet (a slow machine): the stream stays
        harness.run(Duration.ofSeconds(5));
        assertThat(s.terminal()).as("still starting, nobody waits yet").isFalse();

        harness.launcher.last().segments(1);
        harness.run(Duration.ofMillis(500));
        assertThat(s.terminal()).as("idle past its linger once it has a segment").isTrue();
    }

    @Test
    void anAlwaysOnChannelStartsAtTheFirstCheckAndAgainTenSecondsAfterAFailure() {
        h.launcher.failNext("Connection refused");
        h.run(Duration.ofMillis(500));
        assertThat(h.launcher.launched()).isEmpty();
        assertThat(h.manager.lastFailure("lobby")).hasValueSatisfying(
                f -> assertThat(f.reason()).isEqualTo("cannot start ffmpeg: Connection refused"));

        h.run(Duration.ofMillis(9500));
        assertThat(h.launcher.launched()).as("before the retry period").isEmpty();

        h.run(Duration.ofMillis(500));
        assertThat(h.launcher.launched()).hasSize(1);
        assertThat(h.launcher.last().channel().id()).isEqualTo("lobby");
        assertThat(h.manager.lastFailure("lobby")).isEmpty();
    }

    @Test
    void aChannelsNumberingGoesOnAcrossItsStreams() {
        LiveStream first = h.start("cam");
        h.launcher.last().segments(3);
        first.stop("stopped by API request");

        LiveStream second = h.start("cam");
        h.launcher.last().segments(1);

        Segment next = second.store().playlist().window().getFirst();
        assertThat(next.sequence()).isEqualTo(4);
        assertThat(next.discontinuity()).isTrue();
    }

    @Test
    void aReloadStopsRemovedChannelsSwapsChangedPipelinesAndRestartsOnADurationChange() {
        Channel film = TestChannels.onDemand("film", "file:/media/film.mp4");
        Channel news = TestChannels.onDemand("news", "rtsp://192.0.2.1/news");
        StreamHarness harness = new StreamHarness(List.of(CAM, film, news, TestChannels.onDemand("gone", "test:")));
        for (String id : List.of("cam", "film", "news", "gone")) {
            harness.start(id).viewerJoined();
            harness.launcher.last().segments(1);
        }
        Channel copiedFilm = TestChannels.withProfile(film, new OutputProfile.Copy(AudioMode.COPY));
        Channel movedNews = TestChannels.withSources(news, "rtsp://192.0.2.1/news2");

        Reconfiguration r = harness.manager.reconfigure(new ChannelCatalog(List.of(TestChannels.numbered(CAM, 5),
                copiedFilm, movedNews, TestChannels.onDemand("fresh", "test:"))));

        assertThat(r).isEqualTo(new Reconfiguration(List.of("fresh"), List.of("gone"), List.of("cam"),
                List.of("news"), List.of("film"), 0));
        assertThat(harness.manager.find("gone")).isEmpty();
        assertThat(harness.manager.find("film")).as("stopped: its target duration changed").isEmpty();
        assertThat(harness.manager.find("cam").orElseThrow().channel().number()).contains(5);
        harness.time.runDue();
        assertThat(harness.launcher.last().source().display()).isEqualTo("rtsp://192.0.2.1/news2");
    }

    @Test
    void theSweepKillsARunWithoutFirstSegmentAfterTheStartTimeout() {
        LiveStream s = h.start("cam");
        s.viewerJoined();
        FakeProcess p = h.launcher.last();
        h.time.advance(Duration.ofSeconds(20));
        assertThat(h.manager.sweep()).isZero();

        h.time.advance(Duration.ofSeconds(1));

        assertThat(h.manager.sweep()).isEqualTo(1);
        assertThat(p.killed()).isTrue();
        assertThat(s.state()).as("failed before its first segment").isInstanceOf(StreamState.Failed.class);
    }

    @Test
    void shutdownStopsEveryStreamAndRefusesNewOnes() {
        h.start("cam");
        h.start("lobby");

        h.manager.shutdown();

        assertThat(h.launcher.launched()).allMatch(FakeProcess::stopped);
        assertThat(h.manager.all()).isEmpty();
        assertThatThrownBy(() -> h.manager.start("cam")).isInstanceOf(ShuttingDownException.class);
        h.run(Duration.ofSeconds(1));
        assertThat(h.launcher.launched()).as("no always-on start while shutting down").hasSize(2);
    }
}
