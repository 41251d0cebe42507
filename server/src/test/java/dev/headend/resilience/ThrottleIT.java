package dev.headend.resilience;

import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.errorCode;
import static dev.headend.support.Streams.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsViewer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global restart throttle on the real clock: at most {@code restart_limit} restarts in any
 * {@code restart_window_seconds}, across all channels, with no per-channel cooldown.
 */
@NeedsFfmpeg
class ThrottleIT {
    private static final int LIMIT = 3;
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Map<String, String> THROTTLE = Map.of("restart_limit", Integer.toString(LIMIT),
            "restart_window_seconds", Long.toString(WINDOW.toSeconds()), "restart_cooldown_seconds", "0");

    @TempDir
    Path media;

    @Test
    void nineCrashesAtOnceAreRestartedThreePerWindowWhileViewersKeepGettingPlaylists() throws Exception {
        List<String> ids = IntStream.rangeClosed(1, 9).mapToObj(i -> "crash-" + i).toList();
        StringBuilder channels = new StringBuilder();
        ids.forEach(id -> channels.append(lingering(id, "Crash")));
        try (TestServer server = TestServer.start(channels.toString(), THROTTLE)) {
            ids.forEach(id -> assertThat(server.post("/api/streams/" + id + "/start").statusCode()).isEqualTo(200));
            Map<String, Long> killed = new HashMap<>();
            ids.forEach(id -> killed.put(id, Streams.runningPid(server, id)));
            ids.forEach(id -> Streams.awaitSlateReady(server, id));
            Map<String, HlsViewer> viewers = new HashMap<>();
            Map<String, Long> newestBeforeKill = new HashMap<>();
            Instant killedAt;
            List<Poller.Sample<JsonNode>> samples;
            try {
                ids.forEach(id -> viewers.put(id, new HlsViewer(server, id, Duration.ofMillis(500))));
                ids.forEach(id -> newestBeforeKill.put(id, viewers.get(id).newest()));
                try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100),
                        () -> ResponseJson.of(server.get("/api/streams")))) {
                    killedAt = Instant.now();
                    LiveApi.killAll(killed.values());
                    await().atMost(WINDOW.multipliedBy(2).plus(START)).pollInterval(Duration.ofMillis(200))
                            .until(() -> ids.stream().allMatch(
                                    id -> Streams.replaced(Streams.stream(server, id), killed.get(id))));
                    samples = api.samples();
                }
            } finally {
                viewers.values().forEach(HlsViewer::close);
            }

            Map<String, Instant> slot = restartSlots(samples);
            Map<String, Instant> respawned = respawnTimes(samples, killed);
            assertThat(slot).as("restart time shown while restarting").containsOnlyKeys(ids);
            assertThat(respawned).as("new pipeline seen").containsOnlyKeys(ids);
            List<Instant> slots = slot.values().stream().sorted().toList();
            for (int i = 0; i + LIMIT < slots.size(); i++) {
                assertThat(Duration.between(slots.get(i), slots.get(i + LIMIT)))
                        .as("restarts %d and %d of %s", i, i + LIMIT, slots).isGreaterThanOrEqualTo(WINDOW);
            }
            assertThat(slots.subList(0, LIMIT)).as("the first %d restart at once", LIMIT)
                    .allMatch(at -> at.isBefore(killedAt.plusSeconds(2)));
            for (String id : ids) {
                assertThat(respawned.get(id)).as("%s respawned at its slot", id).isAfterOrEqualTo(slot.get(id));
            }
            for (String id : ids) {
                HlsViewer viewer = viewers.get(id);
                assertThat(viewer.statuses()).as("playlist answers to the viewer of %s", id).containsOnly(200);
                if (slot.get(id).isAfter(killedAt.plus(WINDOW.multipliedBy(2)))) {
                    long shownWhileWaiting = viewer.history().tailMap(newestBeforeKill.get(id), false).values()
                            .stream().filter(seen -> seen.firstSeenAt().isBefore(respawned.get(id))).count();
                    assertThat(shownWhileWaiting).as("slate segments shown to the viewer of %s while it waited", id)
                            .isGreaterThanOrEqualTo(WINDOW.toSeconds());
                }
            }
            for (String id : ids) {
                JsonNode s = Streams.stream(server, id);
                assertThat(s.get("restarts").asInt()).isEqualTo(1);
                assertThat(Streams.alive(killed.get(id))).isFalse();
            }
            assertThat(server.pipelinePids()).hasSize(ids.size());
        }
    }

    @Test
    void failedColdStartsLeaveTheRestartBudgetToRealRestarts() throws Exception {
        StringBuilder channels = new StringBuilder(lingering("steady", "Steady"));
        for (int i = 1; i <= LIMIT; i++) {
            channels.append("""
                      - id: dead-%d
                        source: "file:%s"
                    """.formatted(i, media.resolve("missing-" + i + ".mp4")));
        }
        try (TestServer server = TestServer.start(channels.toString(), THROTTLE);
                HlsViewer viewer = new HlsViewer(server, "steady", Duration.ofMillis(500))) {
            long pid = Streams.runningPid(server, "steady");
            for (int i = 1; i <= LIMIT; i++) {
                HttpResponse<String> failed = server.post("/api/streams/dead-" + i + "/start?wait=ready");
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
                assertThat(errorCode(failed)).isEqualTo("source_failed");
            }

            Instant killedAt = Instant.now();
            List<Poller.Sample<JsonNode>> samples;
            try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100), () -> Streams.stream(server, "steady"))) {
                LiveApi.killAll(List.of(pid));
                Streams.awaitReplacementPid(server, "steady", pid, WINDOW.plus(START));
                samples = api.samples();
            }

            Instant slot = samples.stream().map(Poller.Sample::value)
                    .filter(s -> s.get("state").asText().equals("restarting"))
                    .map(s -> Instant.parse(s.get("next_restart_at").asText())).findFirst().orElseThrow();
            assertThat(slot).as("no restart happened within the window, so this one is due at once")
                    .isBefore(killedAt.plusSeconds(1));
            assertThat(viewer.statuses()).containsOnly(200);
        }
    }

    /** Per channel, the restart time the API showed while the channel was restarting. */
    private static Map<String, Instant> restartSlots(List<Poller.Sample<JsonNode>> samples) {
        Map<String, Instant> slots = new HashMap<>();
        for (Poller.Sample<JsonNode> sample : samples) {
            for (JsonNode s : sample.value().get("streams")) {
                if (s.get("state").asText().equals("restarting")) {
                    slots.putIfAbsent(s.get("stream_id").asText(), Instant.parse(s.get("next_restart_at").asText()));
                }
            }
        }
        return slots;
    }

    /** Per channel, when the API first showed a pipeline other than the killed one. */
    private static Map<String, Instant> respawnTimes(List<Poller.Sample<JsonNode>> samples, Map<String, Long> killed) {
        Map<String, Instant> respawned = new HashMap<>();
        for (Poller.Sample<JsonNode> sample : samples) {
            for (JsonNode s : sample.value().get("streams")) {
                String id = s.get("stream_id").asText();
                if (pid(s) != -1 && pid(s) != killed.get(id)) {
                    respawned.putIfAbsent(id, sample.at());
                }
            }
        }
        return respawned;
    }

    /** A cheap channel that outlives a slow start of all the others before its viewer comes. */
    private static String lingering(String id, String name) {
        return LiveApi.cheapChannel(id, name) + "    linger_seconds: 300\n";
    }
}
