package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.media.PlaylistView;
import dev.headend.media.Segment;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.support.FakeLauncher.FakeProcess;
import dev.headend.support.ManualTime;
import dev.headend.support.TestChannels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream with its owner, store and slate feeder, fed by pretend processes writing synthetic
 * MPEG-TS: what viewers see through its playlist and what the API sees through its snapshot.
 */
class LiveStreamTest {
    private final StreamHarness h = new StreamHarness(List.of(TestChannels.onDemand("cam", "rtsp://192.0.2.1/a")));

    private LiveStream watched() {
        LiveStream s = h.start("cam");
        s.viewerJoined();
        return s;
    }

    @Test
    void theStreamIsReadyAtItsFirstSegmentAndShowsItsProcess() throws Exception {
        LiveStream s = watched();
        FakeProcess p = h.launcher.last();
        StreamSnapshot before = s.snapshot();
        assertThat(before.state()).isInstanceOf(StreamState.Starting.class);
        assertThat(before.mediaSequence()).isEmpty();
        assertThat(before.health().lastSegmentAt()).as("no segment yet").isEmpty();

        h.time.advance(Duration.ofMillis(700));
        p.segments(3);
        p.progress(new ProgressStats(75, 25, 1.0, 300, 0, 0));
        s.awaitReady(Duration.ZERO);

        StreamSnapshot after = s.snapshot();
        assertThat(after.state()).isInstanceOf(StreamState.Running.class);
        assertThat(after.pid()).contains(p.pid());
        assertThat(after.processAge()).contains(Duration.ofMillis(700));
        assertThat(after.uptime()).isEqualTo(Duration.ofMillis(700));
        assertThat(after.viewers()).isEqualTo(1);
        assertThat(after.health().lastSegmentAt()).isPresent();
        assertThat(after.health().fps()).isEqualTo(25);
        assertThat(after.progress().speed()).isEqualTo(1.0);
        assertThat(after.mediaSequence()).contains(0L);
        assertThat(s.store().playlist().window()).hasSize(3);
        assertThat(h.slates.prepared()).containsExactly("cam");
    }

    @Test
    void theMediaSequenceShownIsThePlaylistsFirstSegmentNotTheNewest() {
        LiveStream s = watched();

        h.launcher.last().segments(9);

        PlaylistView playlist = s.store().playlist();
        assertThat(playlist.window()).hasSize(6);
        assertThat(s.snapshot().mediaSequence()).contains(playlist.window().getFirst().sequence()).contains(3L);
    }

    @Test
    void aCrashShowsTheSlateUntilTheRestartedRunTakesOverWithDiscontinuities() {
        LiveStream s = watched();
        FakeProcess first = h.launcher.last();
        first.segments(2);

        first.crash("Connection refused");

        StreamSnapshot restarting = s.snapshot();
        assertThat(restarting.state()).isInstanceOf(StreamState.Restarting.class);
        assertThat(restarting.nextRestartAt()).contains(h.time.wallClock());
        assertThat(restarting.health().status()).isEqualTo(HealthStatus.FAILED);
        assertThat(restarting.pid()).isEmpty();
        h.time.runDue();
        assertThat(h.slates.started()).containsExactly("cam");
        assertThat(h.launcher.launched()).hasSize(2);
        FakeProcess second = h.launcher.last();

        second.segments(2);

        List<Segment> window = s.store().playlist().window();
        assertThat(window).extracting(Segment::discontinuity)
                .containsExactly(false, false, false, true, true, false);
        assertThat(window).extracting(Segment::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(s.snapshot().state()).isInstanceOf(StreamState.Running.class);
        assertThat(s.snapshot().slateStatus()).as("no slate shows any more").isEmpty();
        assertThat(s.snapshot().restarts()).isEqualTo(1);
        assertThat(s.snapshot().lastError()).contains("Connection refused");
    }

    @Test
    void whileTheRestartWaitsTheSlateFillsThePlaylistInRealTimeAndSaysWhenTheStreamIsBack() {
        LiveStream s = watched();
        FakeProcess first = h.launcher.last();
        first.segments(1);
        first.crash("Connection refused");
        h.time.runDue();
        h.launcher.last().segments(1);
        h.time.advance(Duration.ofSeconds(5));

        h.launcher.last().crash("Connection refused again");
        h.time.advance(Duration.ofMillis(3050));

        StreamSnapshot waiting = s.snapshot();
        assertThat(waiting.nextRestartAt()).contains(ManualTime.START_WALL.plusSeconds(30));
        assertThat(waiting.slateStatus()).contains(ManualTime.START_WALL.plusSeconds(30).toString());
        List<Segment> window = s.store().playlist().window();
        assertThat(window).as("the second run's two segments, then one slate segment per second of waiting, the"
                + " first at once").extracting(Segment::sequence).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(window).extracting(Segment::discontinuity).containsExactly(true, false, true, false, false, false);
        assertThat(h.launcher.launched()).as("no restart before the cooldown").hasSize(2);

        h.time.advance(Duration.ofSeconds(22));
        assertThat(h.launcher.launched()).hasSize(3);
    }

    @Test
    void stopEndsThePlaylistAndStopsTheProcess() throws Exception {
        LiveStream s = watched();
        FakeProcess p = h.launcher.last();
        p.segments(2);

        s.stop("stopped by API request");

        assertThat(p.stopped()).isTrue();
        assertThat(s.store().playlist().ended()).isTrue();
        assertThat(s.terminal()).isTrue();
        assertThat(h.manager.find("cam")).isEmpty();
    }

    @Test
    void waitingViewersOfAStreamStoppedBeforeItsFirstSegmentGetItsReason() {
        LiveStream s = watched();

        s.stop("channel removed from the configuration");

        assertThatThrownBy(() -> s.awaitReady(Duration.ZERO))
                .isInstanceOfSatisfying(StreamUnavailableException.class,
                        e -> assertThat(e.code()).isEqualTo("stream_stopped"))
                .hasMessageContaining("channel removed from the configuration");
    }

    @Test
    void aRefusedSpawnFailsTheStartWithTheRefusalsCode() {
        h.launcher.refuseNext(SpawnRefusedException.PROCESS_LIMIT);

        LiveStream s = h.start("cam");

        assertThat(s.terminal()).isTrue();
        assertThatThrownBy(() -> s.awaitReady(Duration.ZERO))
                .isInstanceOfSatisfying(StreamUnavailableException.class,
                        e -> assertThat(e.code()).isEqualTo("process_limit"))
                .hasMessageContaining("spawn refused (process_limit)");
        assertThat(h.manager.lastFailure("cam")).isPresent();
    }

    @Test
    void aProcessThatCannotStartFailsTheStart() {
        h.launcher.failNext("No such file or directory");

        LiveStream s = h.start("cam");

        assertThatThrownBy(() -> s.awaitReady(Duration.ZERO))
                .isInstanceOfSatisfying(StreamUnavailableException.class,
                        e -> assertThat(e.code()).isEqualTo("source_failed"))
                .hasMessageContaining("cannot start ffmpeg: No such file or directory");
    }

    @Test
    void anOperatorRestartSwapsProcessesWithoutAGapAndStopsTheOldOne() {
        LiveStream s = watched();
        FakeProcess old = h.launcher.last();
        old.segments(2);

        assertThat(s.restart()).isPresent();
        h.time.runDue();
        FakeProcess replacement = h.launcher.last();
        assertThat(replacement).isNotSameAs(old);
        old.segments(1);
        replacement.segments(1);

        assertThat(old.stopped()).isTrue();
        assertThat(s.snapshot().pid()).contains(replacement.pid());
        assertThat(s.store().playlist().window()).extracting(Segment::discontinuity)
                .as("one discontinuity where the replacement took over").containsOnlyOnce(true);
        assertThat(h.slates.started()).as("no slate in a hot swap").isEmpty();
    }

    @Test
    void aStalledProcessIsKilledAndRestarted() {
        watched();
        FakeProcess p = h.launcher.last();
        p.segments(1);

        h.run(Duration.ofSeconds(4));

        assertThat(p.killed()).isTrue();
        assertThat(h.launcher.launched()).hasSize(2);
        assertThat(h.manager.find("cam").orElseThrow().snapshot().lastError())
                .hasValueSatisfying(e -> assertThat(e).startsWith("stalled: no new segment"));
    }
}
