package dev.headend.resilience;

import static dev.headend.resilience.LiveApi.cheapChannel;
import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.errorCode;
import static dev.headend.support.Streams.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.HeadendServer;
import dev.headend.config.ConfigLoader;
import dev.headend.support.HlsViewer;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Configuration reload (POST /api/config/reload) on a real server: channel changes reach
 * running streams (a pipeline change is hot-swapped with no gap and no slate), added and removed
 * channels appear and go, and a bad file or a changed server setting changes nothing.
 *
 * <p>Each test runs its own server, so the tests run at once.
 */
@NeedsFfmpeg
@Execution(ExecutionMode.CONCURRENT)
class ConfigReloadIT {

    /** A 64x64 test pattern without audio whose picture size is {@code size}. */
    private static String sizedChannel(String id, int size) {
        return """
                  - id: %s
                    name: Sized
                    source: "test:"
                    profile: {type: h264, width: %d, height: %d, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                              audio: none}
                """.formatted(id, size, size);
    }

    @Test
    void aProfileChangeOfAWatchedChannelIsHotSwappedWithNoGapAndNoSlate() throws Exception {
        try (TestServer server = TestServer.start(sizedChannel("cam", 64) + cheapChannel("other", "Other"));
                HlsViewer viewer = new HlsViewer(server, "cam", Duration.ofMillis(250))) {
            long oldPid = Streams.runningPid(server, "cam");
            await().atMost(START).until(() -> viewer.history().size() >= 3);
            long newestBefore = viewer.newest();
            server.rewriteChannels(sizedChannel("cam", 96) + cheapChannel("other", "Other"));

            List<String> states = new ArrayList<>();
            try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100), () -> Streams.stream(server, "cam"))) {
                HttpResponse<String> reloaded = server.post("/api/config/reload");

                assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
                JsonNode channels = ResponseJson.of(reloaded).get("channels");
                assertThat(channels.get("hot_swapped")).extracting(JsonNode::asText).containsExactly("cam");
                assertThat(channels.get("unchanged").asInt()).isEqualTo(1);
                assertThat(ResponseJson.of(reloaded).get("restart_required")).isEmpty();
                await().atMost(START).until(() -> pid(Streams.stream(server, "cam")) != oldPid);
                await().atMost(START).until(() -> viewer.sawSwitchAfter(newestBefore, 3));
                api.samples().forEach(s -> states.add(s.value().get("state").asText()));
            }

            assertThat(states).containsOnly("running");
            viewer.assertSeamlessSwitches(newestBefore, 1);
            assertThat(viewer.statuses()).containsOnly(200);
            assertThat(newestSegmentWidth(server, "cam")).isEqualTo(96);
            await().atMost(START).until(() -> !Streams.alive(oldPid));
            assertThat(Streams.stream(server, "cam").get("restarts").asInt()).as("a swap is not a failure").isZero();
        }
    }

    @Test
    void aChangeThatKeepsThePipelineTakesEffectWithoutTouchingIt() {
        // a linger far longer than the test, so that the stream started without viewers stays up on a loaded machine
        try (TestServer server = TestServer.start(cheapChannel("desk", "Desk") + "    linger_seconds: 300\n")) {
            server.post("/api/streams/desk/start");
            long pid = Streams.runningPid(server, "desk");
            long spawned = server.server().pool().stats().spawned();
            server.rewriteChannels(cheapChannel("desk", "Desk") + """
                        number: 7
                        group: Lobby
                        linger_seconds: 90
                        slate: {title: "Back soon"}
                    """);

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reloaded).get("channels").get("updated")).extracting(JsonNode::asText)
                    .containsExactly("desk");
            assertThat(ResponseJson.of(reloaded).get("channels").get("hot_swapped")).isEmpty();
            JsonNode channel = ResponseJson.of(server.get("/api/channels/desk"));
            assertThat(channel.get("number").asInt()).isEqualTo(7);
            assertThat(channel.get("group").asText()).isEqualTo("Lobby");
            assertThat(server.server().streams().find("desk").orElseThrow().channel().slate().title())
                    .isEqualTo("Back soon");
            assertThat(pid(Streams.stream(server, "desk"))).isEqualTo(pid);
            assertThat(server.server().pool().stats().spawned()).isEqualTo(spawned);
        }
    }

    @Test
    void addedChannelsAppearAndRemovedOnesAreStopped() {
        try (TestServer server = TestServer.start(cheapChannel("stay", "Stay") + cheapChannel("gone", "Gone"))) {
            server.post("/api/streams/gone/start");
            long gonePid = Streams.runningPid(server, "gone");
            server.rewriteChannels(cheapChannel("stay", "Stay") + cheapChannel("fresh", "Fresh"));

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            JsonNode channels = ResponseJson.of(reloaded).get("channels");
            assertThat(channels.get("added")).extracting(JsonNode::asText).containsExactly("fresh");
            assertThat(channels.get("removed")).extracting(JsonNode::asText).containsExactly("gone");
            assertThat(ResponseJson.of(server.get("/api/channels")).get("channels"))
                    .extracting(c -> c.get("id").asText())
                    .containsExactly("stay", "fresh");
            await().atMost(START).until(() -> !Streams.alive(gonePid));
            assertThat(server.get("/api/streams/gone").statusCode()).isEqualTo(404);
            assertThat(server.get("/live/gone/index.m3u8").statusCode()).isEqualTo(404);
            assertThat(server.post("/api/streams/fresh/start").statusCode()).isEqualTo(200);
            Streams.runningPid(server, "fresh");
            String metrics = server.get("/metrics").body();
            assertThat(metrics).contains("headend_channel_viewers{channel=\"fresh\"}")
                    .doesNotContain("channel=\"gone\"");
        }
    }

    @Test
    void anInvalidFileIsRefusedAndChangesNothing() {
        // a linger far longer than the test, so that the stream started without viewers stays up on a loaded machine
        try (TestServer server = TestServer.start(cheapChannel("keep", "Keep") + "    linger_seconds: 300\n")) {
            server.post("/api/streams/keep/start");
            long pid = Streams.runningPid(server, "keep");
            long spawned = server.server().pool().stats().spawned();
            var catalogBefore = server.server().streams().channels();

            server.rewriteConfig("channels:\n  - id: keep\n    source: [unclosed\n");
            HttpResponse<String> badYaml = server.post("/api/config/reload");
            server.rewriteChannels(cheapChannel("keep", "Keep") + cheapChannel("new", "New") + "    colour: red\n");
            HttpResponse<String> unknownKey = server.post("/api/config/reload");
            server.rewriteConfig("server:\n  window_segments: 1\n");
            HttpResponse<String> outOfRange = server.post("/api/config/reload");

            assertThat(badYaml.statusCode()).as(badYaml.body()).isEqualTo(422);
            assertThat(errorCode(badYaml)).isEqualTo("invalid_config");
            assertThat(ResponseJson.of(badYaml).get("error").get("message").asText()).contains("invalid YAML")
                    .contains("line").endsWith("the running configuration is unchanged");
            assertThat(unknownKey.statusCode()).as(unknownKey.body()).isEqualTo(422);
            assertThat(ResponseJson.of(unknownKey).get("error").get("message").asText()).contains("colour");
            assertThat(outOfRange.statusCode()).as(outOfRange.body()).isEqualTo(422);
            assertThat(ResponseJson.of(outOfRange).get("error").get("message").asText()).contains("window_segments");
            assertThat(server.server().streams().channels()).isSameAs(catalogBefore);
            assertThat(ResponseJson.of(server.get("/api/channels")).get("channels"))
                    .extracting(c -> c.get("id").asText())
                    .containsExactly("keep");
            assertThat(pid(Streams.stream(server, "keep"))).isEqualTo(pid);
            assertThat(server.server().pool().stats().spawned()).isEqualTo(spawned);
            assertThat(server.post("/api/config/reload").statusCode()).as("still 422 while the file is bad")
                    .isEqualTo(422);
            assertThat(server.get("/api/config/reload").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aFileReplacedByANamedPipeIsRefusedPromptlyAndNeitherTheNextReloadNorShutdownWaits() throws Exception {
        try (TestServer server = TestServer.start(cheapChannel("keep", "Keep"))) {
            Path file = server.configFile();
            String good = Files.readString(file);
            var catalogBefore = server.server().streams().channels();
            Files.delete(file);
            ToolRun.succeed("mkfifo", file.toString());

            HttpResponse<String> refused = server.post("/api/config/reload");
            HttpResponse<String> refusedAgain = server.post("/api/config/reload");

            for (HttpResponse<String> r : List.of(refused, refusedAgain)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
                assertThat(errorCode(r)).isEqualTo("invalid_config");
                assertThat(ResponseJson.of(r).get("error").get("message").asText())
                        .contains("is a named pipe (FIFO); give the path of a regular file")
                        .endsWith("the running configuration is unchanged");
            }
            assertThat(server.server().streams().channels()).isSameAs(catalogBefore);

            Files.delete(file);
            Files.writeString(file, good + cheapChannel("added", "Added"));
            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reloaded).get("channels").get("added")).extracting(JsonNode::asText)
                    .containsExactly("added");
            assertTimeoutPreemptively(Duration.ofSeconds(30), server::close, "shutdown after refused reloads");
        }
    }

    @Test
    void aChangedLiveSettingAppliesToTheNextStreamAndAnotherWaitsForARestart() {
        try (TestServer server = TestServer.start(cheapChannel("tv", "TV"), Map.of("window_segments", "6"))) {
            server.openSession("tv");
            Map<String, String> settings = new java.util.HashMap<>(server.settings());
            settings.put("window_segments", "4");
            settings.put("max_processes", "20");
            StringBuilder yaml = new StringBuilder("server:\n");
            settings.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
            server.rewriteConfig(yaml + "channels:\n" + cheapChannel("tv", "TV"));

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reloaded).get("applied_live")).extracting(JsonNode::asText)
                    .containsExactly("window_segments");
            assertThat(ResponseJson.of(reloaded).get("restart_required")).extracting(JsonNode::asText)
                    .containsExactly("max_processes");
            assertThat(ResponseJson.of(reloaded).get("channels").get("unchanged").asInt()).isEqualTo(1);
            assertThat(server.server().settings().running().pool().maxProcesses()).isEqualTo(64);
            await().atMost(START).until(() -> {
                HttpResponse<String> playlist = server.get("/live/tv/index.m3u8");
                return playlist.statusCode() == 200 && LivePlaylist.parse(playlist.body()).segments().size() == 6;
            });

            server.stopAllStreams();
            await().atMost(START).until(() -> {
                HttpResponse<String> playlist = server.get("/live/tv/index.m3u8");
                return playlist.statusCode() == 200 && LivePlaylist.parse(playlist.body()).segments().size() == 4;
            });
        }
    }

    @Test
    void aNewSourceThatFailsLeavesTheOldPipelinePlayingAndIsRetriedAfterTheCooldown() {
        Map<String, String> settings = Map.of("restart_cooldown_seconds", "2");
        try (TestServer server = TestServer.start(cheapChannel("cam", "Cam"), settings);
                HlsViewer viewer = new HlsViewer(server, "cam", Duration.ofMillis(250))) {
            long pid = Streams.runningPid(server, "cam");
            long spawned = server.server().pool().stats().spawned();
            String broken = """
                      - id: cam
                        name: Cam
                        source: "http://127.0.0.1:9/nothing.ts"
                        profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                                  audio: none}
                    """;
            server.rewriteChannels(broken);

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reloaded).get("channels").get("hot_swapped")).extracting(JsonNode::asText)
                    .containsExactly("cam");
            await().atMost(START).until(() -> server.server().pool().stats().spawned() >= spawned + 2);
            JsonNode stream = Streams.stream(server, "cam");
            assertThat(stream.get("state").asText()).isEqualTo("running");
            assertThat(pid(stream)).isEqualTo(pid);
            assertThat(stream.get("last_error").asText()).startsWith("replacement pipeline failed");

            server.rewriteChannels(cheapChannel("cam", "Cam"));
            HttpResponse<String> restored = server.post("/api/config/reload");
            assertThat(ResponseJson.of(restored).get("channels").get("updated")).extracting(JsonNode::asText)
                    .containsExactly("cam");
            long retries = server.server().pool().stats().spawned();
            long newest = viewer.newest();
            await().atMost(START).until(() -> viewer.newest() >= newest + 10);
            assertThat(server.server().pool().stats().spawned()).as("no retry once the definition is back")
                    .isLessThanOrEqualTo(retries + 1);
            assertThat(pid(Streams.stream(server, "cam"))).isEqualTo(pid);
            assertThat(viewer.statuses()).containsOnly(200);
            viewer.assertSeamlessSwitches(viewer.history().firstKey(), 0);
        }
    }

    /**
     * The live run keeps the definition it was built from: a channel playing its second source,
     * reloaded to a single (broken) source, keeps playing the old pipeline, and the API reports
     * that pipeline's source.
     */
    @Test
    void aStreamOnItsBackupStillAnswersAfterAReloadShortensItsSourceList() throws Exception {
        Path dir = Files.createTempDirectory("headend-reload");
        Path backup = dir.resolve("backup.mp4");
        LiveApi.makeClip(backup);
        Path missing = dir.resolve("missing.mp4");
        String twoSources = """
                  - id: cam
                    sources: ["file:%s", "file:%s"]
                    linger_seconds: 300
                """.formatted(missing, backup);
        try (TestServer server = TestServer.start(twoSources)) {
            server.post("/api/streams/cam/start");
            long pid = Streams.runningPid(server, "cam");
            assertThat(Streams.stream(server, "cam").get("active_source_index").asInt()).isEqualTo(1);
            server.rewriteChannels("""
                      - id: cam
                        source: "file:%s"
                        linger_seconds: 300
                    """.formatted(missing));

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(ResponseJson.of(reloaded).get("channels").get("hot_swapped")).extracting(JsonNode::asText)
                    .containsExactly("cam");
            JsonNode stream = Streams.stream(server, "cam");
            assertThat(pid(stream)).isEqualTo(pid);
            assertThat(stream.get("active_source").asText()).endsWith("backup.mp4");
            assertThat(server.get("/api/channels/cam").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aChangeOfTheTargetDurationEndsTheStreamAndTheNextOneUsesTheNewDuration() throws Exception {
        Path clip = Files.createTempDirectory("headend-reload").resolve("film.mp4");
        LiveApi.makeClip(clip);
        String film = """
                  - id: film
                    source: "file:%s"
                    profile: %s
                """;
        try (TestServer server = TestServer.start(film.formatted(clip, "h264"))) {
            HttpResponse<String> first = server.get("/live/film/index.m3u8");
            assertThat(LivePlaylist.parse(first.body()).targetDuration()).isEqualTo(1);
            long pid = Streams.runningPid(server, "film");
            server.rewriteChannels(film.formatted(clip, "copy"));

            HttpResponse<String> reloaded = server.post("/api/config/reload");

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            assertThat(ResponseJson.of(reloaded).get("channels").get("restarted")).extracting(JsonNode::asText)
                    .containsExactly("film");
            await().atMost(START).until(() -> !Streams.alive(pid));
            await().atMost(START).until(() -> server.server().streams().find("film").isEmpty());
            HttpResponse<String> next = server.get("/live/film/index.m3u8");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(LivePlaylist.parse(next.body()).targetDuration()).isEqualTo(4);
        }
    }

    @Test
    void aServerStartedWithoutAFileHasNothingToReload() throws Exception {
        Path dir = Files.createTempDirectory("headend-nofile");
        ConfigLoader loader = new ConfigLoader(Map.of("HEADEND_PORT", "0", "HEADEND_DATA_DIR", dir.toString(),
                "HEADEND_ADMIN_TOKEN", TestServer.ADMIN_TOKEN));
        try (HeadendServer server = new HeadendServer(loader.environmentOnly(), loader)) {
            server.start();
            var client = java.net.http.HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.url() + "/api/config/reload"))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            assertThat(errorCode(response)).isEqualTo("no_config_file");
            assertThat(server.streams().channels().all()).isEmpty();
        }
    }

    /** Width of the video in the newest segment of the channel's playlist, read by ffprobe. */
    private static int newestSegmentWidth(TestServer server, String id) throws Exception {
        String playlist = server.get("/live/" + id + "/index.m3u8").body();
        String uri = playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).reduce((a, b) -> b)
                .orElseThrow();
        Path segment = Files.createTempFile("segment", ".ts");
        Files.write(segment, server.getBytes("/live/" + id + "/" + uri).body());
        ToolRun probe = ToolRun.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=width", "-of", "csv=p=0", segment.toString());
        Files.delete(segment);
        return Integer.parseInt(probe.stdout().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow().strip());
    }
}
