package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.FakeLauncher.FakeProcess;
import dev.headend.support.TestChannels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stream's listener hears, driven through a real stream with pretend processes. */
class StreamChangesTest {
    private final StreamHarness h = new StreamHarness(List.of(TestChannels.onDemand("cam", "rtsp://192.0.2.1/a")));

    @Test
    void startCrashRecoverAndStopAreHeardInOrder() {
        LiveStream s = h.start("cam");
        s.viewerJoined();
        FakeProcess first = h.launcher.last();
        first.segments(2);
        first.crash("Connection refused");
        h.time.runDue();
        h.launcher.last().segments(2);
        s.stop("stopped through the API");

        assertThat(h.changes).containsExactly(
                new StreamChange.Started("cam", 0, "rtsp://192.0.2.1/a"),
                new StreamChange.Restarting("cam", restartReason(), 1),
                new StreamChange.Recovered("cam", 1),
                new StreamChange.Ended("cam", StreamChange.EndReason.STOPPED, "stopped through the API"));
    }

    private String restartReason() {
        return h.changes.stream().filter(c -> c instanceof StreamChange.Restarting).map(c ->
                ((StreamChange.Restarting) c).reason()).findFirst().orElseThrow();
    }

    @Test
    void aStartThatCannotSpawnFailsThenEnds() {
        h.launcher.failNext("No such file or directory");
        h.start("cam");

        assertThat(h.changes).hasSize(3);
        assertThat(h.changes.get(1)).isInstanceOf(StreamChange.Failed.class);
        assertThat(h.changes.get(2)).isInstanceOfSatisfying(StreamChange.Ended.class,
                e -> assertThat(e.reason()).isEqualTo(StreamChange.EndReason.FAILED));
    }

    @Test
    void shutdownAndIdleStopsSayWhy() {
        assertThat(StreamChanges.endReason(StreamChanges.SHUTDOWN)).isEqualTo(StreamChange.EndReason.SERVER_SHUTDOWN);
        assertThat(StreamChanges.endReason("no viewers for 10.0 s")).isEqualTo(StreamChange.EndReason.IDLE);
        assertThat(StreamChanges.endReason("pipeline ended with no viewers: exit 1"))
                .isEqualTo(StreamChange.EndReason.IDLE);
        assertThat(StreamChanges.endReason("channel removed from the configuration"))
                .isEqualTo(StreamChange.EndReason.STOPPED);

        h.start("cam").viewerJoined();
        h.launcher.last().segments(1);
        h.manager.shutdown();
        assertThat(h.changes.getLast()).isEqualTo(new StreamChange.Ended("cam",
                StreamChange.EndReason.SERVER_SHUTDOWN, StreamChanges.SHUTDOWN));
    }
}
