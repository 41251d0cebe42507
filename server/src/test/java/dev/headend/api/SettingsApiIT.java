package dev.headend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.config.Setting;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The settings API on a real server: every setting listed with its origin, range and whether it
 * applies live; bad values refused all together with nothing changed; default &lt; file &lt;
 * environment &lt; API, kept across a restart on the same data directory and undone by DELETE; a
 * live setting applied to the next stream, a restart-only one reported and left alone.
 */
@NeedsFfmpeg
@Execution(ExecutionMode.CONCURRENT)
class SettingsApiIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String CHANNEL = """
              - id: tv
                name: TV
                source: "test:"
                profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast, audio: none}
            """;

    private static JsonNode setting(TestServer server, String key) {
        HttpResponse<String> list = server.get("/api/settings");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return StreamSupport.stream(ResponseJson.of(list).get("settings").spliterator(), false)
                .filter(s -> s.get("key").asText().equals(key)).findFirst().orElseThrow();
    }

    private static HttpResponse<String> patch(TestServer server, String json) {
        return server.sendJson("PATCH", "/api/settings", json);
    }

    @Test
    void everySettingIsListedWithWhereItComesFromItsRangeAndWhenItApplies() {
        try (TestServer server = TestServer.startWithEnvironment(CHANNEL, Map.of("window_segments", "5"),
                Map.of("HEADEND_RESTART_LIMIT", "4"))) {
            HttpResponse<String> list = server.get("/api/settings");

            assertThat(list.statusCode()).isEqualTo(200);
            JsonNode body = ResponseJson.of(list);
            assertThat(body.get("precedence")).extracting(JsonNode::asText)
                    .containsExactly("default", "file", "environment", "api");
            assertThat(body.get("settings")).hasSize(Setting.values().length);
            JsonNode window = setting(server, "window_segments");
            assertThat(window.get("value").asInt()).isEqualTo(5);
            assertThat(window.get("origin").asText()).isEqualTo("file");
            assertThat(window.get("default").asInt()).isEqualTo(6);
            assertThat(window.get("range").asText()).isEqualTo("2–30");
            assertThat(window.get("min").asInt()).isEqualTo(2);
            assertThat(window.get("max").asInt()).isEqualTo(30);
            assertThat(window.get("unit").asText()).isEqualTo("segments");
            assertThat(window.get("group").asText()).isEqualTo("streams");
            assertThat(window.get("env_var").asText()).isEqualTo("HEADEND_WINDOW_SEGMENTS");
            assertThat(window.get("applies").asText()).isEqualTo("live");
            assertThat(window.get("pending_restart").asBoolean()).isFalse();
            JsonNode limit = setting(server, "restart_limit");
            assertThat(limit.get("origin").asText()).isEqualTo("environment");
            assertThat(limit.get("value").asInt()).isEqualTo(4);
            JsonNode timeout = setting(server, "start_timeout_seconds");
            assertThat(timeout.get("origin").asText()).isEqualTo("default");
            assertThat(timeout.get("value").asText()).isEqualTo("20s");
            assertThat(timeout.get("kind").asText()).isEqualTo("duration");
            assertThat(setting(server, "port").get("applies").asText()).isEqualTo("restart_required");
            JsonNode token = setting(server, "admin_token");
            assertThat(token.get("value").asText()).isEqualTo("***");
            assertThat(token.get("set").asBoolean()).isTrue();
            assertThat(list.body()).doesNotContain(TestServer.ADMIN_TOKEN);
        }
    }

    @Test
    void badValuesAreRefusedAllTogetherNamingEachKeyAndNothingChanges() {
        try (TestServer server = TestServer.start(CHANNEL)) {
            String before = server.get("/api/settings").body();

            HttpResponse<String> refused = patch(server, """
                    {"window_segments": 99, "stop_grace_seconds": "soon", "metrics_public": "maybe",
                     "throttle_mode": "fast", "no_such_setting": 1, "admin_token": "a-new-token-of-16-characters",
                     "segment_seconds": [2], "restart_cooldown_seconds": "5s"}""");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            JsonNode error = ResponseJson.of(refused).get("error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_settings");
            assertThat(error.get("invalid")).extracting(p -> p.get("key").asText()).containsExactly(
                    "window_segments", "stop_grace_seconds", "metrics_public", "throttle_mode", "no_such_setting",
                    "admin_token", "segment_seconds");
            assertThat(error.get("invalid").get(0).get("range").asText()).isEqualTo("2–30");
            assertThat(error.get("invalid").get(0).get("message").asText()).isEqualTo("setting window_segments"
                    + " (HEADEND_WINDOW_SEGMENTS) must be between 2 and 30, got 99");
            assertThat(error.get("invalid").get(1).get("range").asText()).isEqualTo("100ms–60s");
            assertThat(refused.body()).doesNotContain("a-new-token-of-16-characters");
            assertThat(server.get("/api/settings").body()).isEqualTo(before);
            assertThat(server.server().settings().wanted().api()).isEmpty();

            HttpResponse<String> notAnObject = patch(server, "[1]");
            assertThat(notAnObject.statusCode()).isEqualTo(400);
            assertThat(ResponseJson.of(notAnObject).get("error").get("code").asText()).isEqualTo("invalid_body");
            HttpResponse<String> empty = patch(server, "{}");
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(ResponseJson.of(empty).get("error").get("code").asText()).isEqualTo("invalid_settings");
            HttpResponse<String> unknown = server.delete("/api/settings/no_such_setting");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(ResponseJson.of(unknown).get("error").get("code").asText()).isEqualTo("unknown_setting");
            assertThat(server.get("/api/settings").body()).isEqualTo(before);

            assertThat(patch(server, "{\"window_segments\": 10, \"initial_segments\": 8}").statusCode())
                    .isEqualTo(200);
            String withBoth = server.get("/api/settings").body();
            HttpResponse<String> conflicting = server.delete("/api/settings/window_segments");
            assertThat(conflicting.statusCode()).isEqualTo(409);
            assertThat(ResponseJson.of(conflicting).get("error").get("code").asText())
                    .isEqualTo("conflicting_settings");
            assertThat(ResponseJson.of(conflicting).get("error").get("message").asText())
                    .contains("initial_segments", "nothing changed");
            assertThat(server.get("/api/settings").body()).isEqualTo(withBoth);
            assertThat(server.server().settings().wanted().api()).containsKeys(Setting.WINDOW_SEGMENTS,
                    Setting.INITIAL_SEGMENTS);
        }
    }

    @Test
    void anApiValueWinsOverTheEnvironmentSurvivesARestartAndDeleteGivesTheEnvironmentBack() throws IOException {
        Path dataDir = Files.createTempDirectory("headend-settings").resolve("data");
        Map<String, String> file = Map.of("data_dir", dataDir.toString(), "window_segments", "4");
        Map<String, String> environment = Map.of("HEADEND_WINDOW_SEGMENTS", "5");
        try (TestServer server = TestServer.startWithEnvironment(CHANNEL, file, environment)) {
            JsonNode fromEnvironment = setting(server, "window_segments");
            assertThat(fromEnvironment.get("value").asInt()).isEqualTo(5);
            assertThat(fromEnvironment.get("origin").asText()).isEqualTo("environment");
            assertThat(fromEnvironment.get("overrides").asText()).isEqualTo("file");

            HttpResponse<String> set = patch(server, "{\"window_segments\": 7, \"idle_timeout_seconds\": 90}");

            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(ResponseJson.of(set).get("changed")).extracting(JsonNode::asText)
                    .containsExactly("window_segments", "idle_timeout_seconds");
            JsonNode fromApi = setting(server, "window_segments");
            assertThat(fromApi.get("value").asInt()).isEqualTo(7);
            assertThat(fromApi.get("origin").asText()).isEqualTo("api");
            assertThat(fromApi.get("overrides").asText()).isEqualTo("environment");
            assertThat(setting(server, "idle_timeout_seconds").get("value").asText()).isEqualTo("90s");
            assertThat(server.server().sessions().settings().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        }
        try (TestServer again = TestServer.startWithEnvironment(CHANNEL, file, environment)) {
            JsonNode kept = setting(again, "window_segments");
            assertThat(kept.get("value").asInt()).isEqualTo(7);
            assertThat(kept.get("origin").asText()).isEqualTo("api");
            assertThat(again.server().streams().settings().windowSegments()).isEqualTo(7);

            HttpResponse<String> reset = again.delete("/api/settings/window_segments");

            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reset).get("setting").get("origin").asText()).isEqualTo("environment");
            assertThat(ResponseJson.of(reset).get("setting").get("value").asInt()).isEqualTo(5);
            assertThat(again.server().streams().settings().windowSegments()).isEqualTo(5);
            HttpResponse<String> resetAgain = again.delete("/api/settings/window_segments");
            assertThat(resetAgain.statusCode()).isEqualTo(200);
            assertThat(ResponseJson.of(resetAgain).get("changed")).isEmpty();
        }
        try (TestServer third = TestServer.startWithEnvironment(CHANNEL, file, environment)) {
            assertThat(setting(third, "window_segments").get("origin").asText()).isEqualTo("environment");
            assertThat(setting(third, "idle_timeout_seconds").get("origin").asText()).isEqualTo("api");
        }
    }

    @Test
    void aLiveSettingAppliesToTheNextStream() {
        try (TestServer server = TestServer.start(CHANNEL)) {
            HttpResponse<String> set = patch(server, "{\"window_segments\": 3}");

            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(ResponseJson.of(set).get("applied_live")).extracting(JsonNode::asText)
                    .containsExactly("window_segments");
            assertThat(ResponseJson.of(set).get("restart_required")).isEmpty();
            await().atMost(START).until(() -> {
                HttpResponse<String> playlist = server.get("/live/tv/index.m3u8");
                LivePlaylist p = LivePlaylist.parse(playlist.body());
                return playlist.statusCode() == 200 && p.segments().size() == 3 && p.mediaSequence() > 0;
            });
        }
    }

    @Test
    void theNextStreamsFirstPlaylistListsTheInitialSegments() {
        try (TestServer server = TestServer.start(CHANNEL)) {
            HttpResponse<String> set = patch(server, "{\"initial_segments\": 3}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

            HttpResponse<String> first = server.openSession("tv");

            assertThat(LivePlaylist.parse(first.body()).segments()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aSessionLimitAppliesToTheNextViewer() {
        try (TestServer server = TestServer.start(CHANNEL)) {
            server.openSession("tv");
            HttpResponse<String> set = patch(server, "{\"max_sessions_per_channel\": 1}");
            assertThat(ResponseJson.of(set).get("applied_live")).extracting(JsonNode::asText)
                    .containsExactly("max_sessions_per_channel");

            HttpResponse<String> second = server.get("/live/tv/index.m3u8");

            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        }
    }

    @Test
    void aRestartOnlySettingIsReportedAndLeftAsItRuns() {
        try (TestServer server = TestServer.start(CHANNEL)) {
            HttpResponse<String> set = patch(server, "{\"max_processes\": 20}");

            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(ResponseJson.of(set).get("restart_required")).extracting(JsonNode::asText)
                    .containsExactly("max_processes");
            assertThat(ResponseJson.of(set).get("applied_live")).isEmpty();
            JsonNode max = setting(server, "max_processes");
            assertThat(max.get("value").asInt()).isEqualTo(20);
            assertThat(max.get("origin").asText()).isEqualTo("api");
            assertThat(max.get("applies").asText()).isEqualTo("restart_required");
            assertThat(max.get("pending_restart").asBoolean()).isTrue();
            assertThat(max.get("running_value").asInt()).isEqualTo(64);
            assertThat(server.server().settings().running().pool().maxProcesses()).isEqualTo(64);
        }
    }
}
