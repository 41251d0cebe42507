package dev.headend.resilience;

import static dev.headend.support.Streams.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.support.FreePorts;
import dev.headend.support.HlsPoller;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EXT-X-PROGRAM-DATE-TIME only moves forward: across pipeline kills and the slate between them,
 * and on a relay's cold start, where FFmpeg reads the source's buffered segments faster than
 * real time. Each date is at least the previous date plus the previous EXTINF. A short restart
 * cooldown makes the second kill show the slate for a few segments.
 */
@NeedsFfmpeg
class ProgramDateTimeIT {
    /** Dates are written to the millisecond, durations to the millisecond too. */
    private static final Duration ROUNDING = Duration.ofMillis(1);

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() throws IOException {
        int port = FreePorts.any();
        server = TestServer.start(LiveApi.cheapChannel("dates", "Dates") + LiveApi.cheapChannel("origin", "Origin")
                + """
                  - id: relay
                    name: Relay
                    source: "http://127.0.0.1:%d/live/origin/index.m3u8"
                    profile: {type: copy, audio: none}
                """.formatted(port), Map.of("port", Integer.toString(port), "window_segments", "10",
                "restart_cooldown_seconds", "2"));
    }

    @Test
    void datesStrictlyIncreaseAcrossTwoKillsAndTheSlate() throws Exception {
        try (HlsPoller poller = HlsPoller.open(server, "dates", Duration.ofMillis(200))) {
            await().atMost(START).until(() -> poller.listed().size() >= 3);
            for (int kill = 1; kill <= 2; kill++) {
                long pid = Streams.runningPid(server, "dates");
                Streams.awaitSlateReady(server, "dates");
                LiveApi.killAll(List.of(pid));
                Streams.awaitReplacementPid(server, "dates", pid, START);
                long seen = poller.listed().lastKey();
                await().atMost(START).until(() -> poller.listed().lastKey() >= seen + 3);
            }

            List<LivePlaylist.Entry> listed = List.copyOf(poller.listed().values());
            assertThat(listed.stream().filter(LivePlaylist.Entry::discontinuity).count())
                    .as("a slate and a new run after each kill").isGreaterThanOrEqualTo(4);
            assertDatesFollowDurations(listed);
        }
    }

    @Test
    void aRelaysColdStartDatesSegmentsAtLeastTheirDurationsApart() {
        try (HlsPoller origin = HlsPoller.open(server, "origin", Duration.ofMillis(250))) {
            await().atMost(START).until(() -> origin.listed().size() >= 5);
            try (HlsPoller relay = HlsPoller.open(server, "relay", Duration.ofMillis(200))) {
                await().atMost(START).until(() -> relay.listed().size() >= 6);

                List<LivePlaylist.Entry> listed = List.copyOf(relay.listed().values());
                assertThat(listed.getFirst().duration()).as("one-second segments of the origin, copied")
                        .isLessThan(2.0);
                assertDatesFollowDurations(listed);
            }
        }
    }

    private static void assertDatesFollowDurations(List<LivePlaylist.Entry> listed) {
        for (int i = 1; i < listed.size(); i++) {
            LivePlaylist.Entry previous = listed.get(i - 1);
            LivePlaylist.Entry entry = listed.get(i);
            Instant earliest = Instant.parse(previous.programDateTime())
                    .plusMillis(Math.round(previous.duration() * 1000)).minus(ROUNDING);
            assertThat(Instant.parse(entry.programDateTime()))
                    .as("date of segment %d after %s + %.3f s", entry.sequence(), previous.programDateTime(),
                            previous.duration())
                    .isAfterOrEqualTo(earliest).isAfter(Instant.parse(previous.programDateTime()));
        }
    }
}
