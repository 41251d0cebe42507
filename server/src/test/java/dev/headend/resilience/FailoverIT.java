package dev.headend.resilience;

import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsViewer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels with two file sources: a missing first source at cold start, the first source coming
 * back (failback after {@code failback_seconds} stable), and a running source that goes away
 * (failover after {@code failover_failures} failures).
 */
@NeedsFfmpeg
class FailoverIT {
    private static final Duration FAILBACK = Duration.ofSeconds(3);

    @TempDir
    static Path media;

    private static Path backup;
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        backup = media.resolve("backup.mp4");
        LiveApi.makeClip(backup);
        server = TestServer.start(channel("comeback", "primary.mp4") + channel("fallover", "main.mp4"),
                Map.of("failback_seconds", Long.toString(FAILBACK.toSeconds()), "failover_failures", "3",
                        "restart_cooldown_seconds", "0", "restart_limit", "100"));
    }

    @AfterEach
    void stopEveryStream() {
        server.stopAllStreams();
    }

    @Test
    void coldStartSkipsTheMissingFirstSourceAndFailsBackSeamlesslyOnceItWorks() {
        Instant requested = Instant.now();
        try (HlsViewer viewer = new HlsViewer(server, "comeback", Duration.ofMillis(250))) {
            JsonNode onBackup = Streams.stream(server, "comeback");
            assertThat(onBackup.get("state").asText()).isEqualTo("running");
            assertThat(onBackup.get("active_source_index").asInt()).isEqualTo(1);
            assertThat(onBackup.get("active_source").asText()).endsWith("backup.mp4");
            long backupPid = pid(onBackup);
            long newestBefore = viewer.newest();

            LiveApi.copyIntoPlace(backup, media.resolve("primary.mp4"));

            List<Poller.Sample<JsonNode>> samples;
            try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100),
                    () -> Streams.stream(server, "comeback"))) {
                await().atMost(FAILBACK.plus(START))
                        .until(() -> Streams.stream(server, "comeback").get("active_source_index").asInt() == 0);
                long newestAtFailback = viewer.newest();
                await().atMost(START).until(() -> viewer.newest() >= newestAtFailback + 2);
                samples = api.samples();
            }

            Poller.Sample<JsonNode> back = samples.stream()
                    .filter(s -> s.value().get("active_source_index").asInt() == 0).findFirst().orElseThrow();
            assertThat(back.at()).as("stable on the backup for the failback time first")
                    .isAfter(requested.plus(FAILBACK));
            assertThat(back.value().get("active_source").asText()).endsWith("primary.mp4");
            assertThat(pid(back.value())).isNotIn(-1L, backupPid);
            assertThat(samples).extracting(s -> s.value().get("state").asText()).containsOnly("running");
            viewer.assertSeamlessSwitches(newestBefore, 1);
            assertThat(viewer.statuses()).containsOnly(200);
            await().atMost(START).until(() -> !Streams.alive(backupPid));
            assertThat(server.pipelinePids()).containsExactly(pid(back.value()));
        }
    }

    @Test
    void runningChannelMovesToItsBackupAfterItsSourceFailedThreeTimes() throws Exception {
        Path main = media.resolve("main.mp4");
        LiveApi.copyIntoPlace(backup, main);
        try (HlsViewer viewer = new HlsViewer(server, "fallover", Duration.ofMillis(250))) {
            JsonNode onMain = Streams.stream(server, "fallover");
            assertThat(onMain.get("active_source_index").asInt()).isZero();
            long mainPid = Streams.runningPid(server, "fallover");

            Files.delete(main);
            LiveApi.killAll(List.of(mainPid));

            JsonNode onBackup = await().atMost(START).until(() -> Streams.stream(server, "fallover"),
                    s -> Streams.running(s) && s.get("active_source_index").asInt() == 1);
            assertThat(onBackup.get("active_source").asText()).endsWith("backup.mp4");
            assertThat(onBackup.get("restarts").asInt()).as("the kill and two failed restarts on the first source")
                    .isEqualTo(3);
            assertThat(onBackup.get("circuit_state").asText()).isEqualTo("closed");
            assertThat(viewer.statuses()).containsOnly(200);
            assertThat(server.pipelinePids()).containsExactly(pid(onBackup));
        }
    }

    private static String channel(String id, String primary) {
        return """
                  - id: %s
                    sources: ["file:%s", "file:%s"]
                """.formatted(id, media.resolve(primary), backup);
    }
}
