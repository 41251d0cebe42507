package dev.headend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad request gets its status, a JSON error with a code and a message, and changes
 * nothing: no stream starts, no FFmpeg process appears.
 */
@NeedsFfmpeg
class ApiErrorsIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String ORIGIN = "https://player.example";

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("ok", 300)
                + """
                  - id: refused
                    source: "http://127.0.0.1:9/none.ts"
                  - id: missing-file
                    source: "file:/nonexistent-headend-dir/missing.ts"
                """, Map.of("start_timeout_seconds", Long.toString(START_TIMEOUT.toSeconds())));
    }

    @AfterEach
    void stopAllStreams() {
        server.stopAllStreams();
    }

    static Stream<Arguments> badChannelIds() {
        return Stream.of("Bad_ID", "a%20b", "-dash", "a".repeat(70)).flatMap(ApiErrorsIT::channelRoutes);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badChannelIds")
    void aBadChannelIdIsRejected(String method, String path) {
        assertRejected(method, path, 400, "invalid_channel_id");
    }

    static Stream<Arguments> unknownChannel() {
        return channelRoutes("nosuch");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unknownChannel")
    void anUnknownChannelIsNotFound(String method, String path) {
        assertRejected(method, path, 404, "channel_not_found");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /api/streams/ok/start",
        "GET, /api/streams/ok/stop",
        "GET, /api/streams/ok/restart",
        "DELETE, /api/streams/ok/restart",
        "GET, /api/streams/cleanup",
        "POST, /api/streams",
        "POST, /api/streams/ok",
        "DELETE, /api/streams/ok",
        "PUT, /api/channels",
        "DELETE, /api/channels",
        "POST, /api/channels/ok",
        "PATCH, /api/channels/ok",
        "POST, /api/channels/ok/health",
        "GET, /api/channels/import",
        "PUT, /api/channels/import",
        "POST, /live/ok/index.m3u8",
        "POST, /live/ok.ts",
        "POST, /live/ok/0.ts",
        "POST, /healthz",
    })
    void aWrongMethodIsNotAllowed(String method, String path) {
        assertRejected(method, path, 405, "method_not_allowed");
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/nope", "/api/nope", "/api/streams/ok/pause", "/api/channels/ok/healthz", "/live/ok",
        "/live/ok/index.m3u9", "/live/ok/extra/index.m3u8"})
    void anUnknownPathIsNotFound(String path) {
        assertRejected("GET", path, 404, "not_found");
    }

    @Test
    void restartingAChannelThatIsNotRunningIsAConflict() {
        assertRejected("POST", "/api/streams/ok/restart", 409, "stream_not_running");
    }

    @Test
    void aSecondRestartWhileOneIsUnderWayIsAConflictAndStartsNothing() {
        assertThat(server.post("/api/streams/ok/start?wait=ready").statusCode()).isEqualTo(200);
        long original = json(server.get("/api/streams/ok")).path("pid").asLong();
        long spawned = server.server().pool().stats().spawned();

        HttpResponse<String> first = server.post("/api/streams/ok/restart");
        HttpResponse<String> second = server.post("/api/streams/ok/restart");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertError(second, 409, "restart_in_progress");
        await().atMost(START_TIMEOUT).until(() -> {
            List<Long> pids = server.pipelinePids();
            return pids.size() == 1 && pids.getFirst() != original;
        });
        assertThat(server.server().pool().stats().spawned()).as("pipelines spawned by the two requests")
                .isEqualTo(spawned + 1);
        assertThat(snapshot().streamIds()).containsExactly("ok");
    }

    @ParameterizedTest(name = "?wait={0}")
    @ValueSource(strings = {"soon", ""})
    void anUnknownWaitModeIsRejected(String wait) {
        assertRejected("POST", "/api/streams/ok/start?wait=" + wait, 400, "invalid_parameter");
    }

    @Test
    void aMalformedSessionTokenIsRejected() {
        assertRejected("GET", "/live/ok/index.m3u8?s=abc", 400, "invalid_session");
    }

    @ParameterizedTest(name = "GET /live/ok/{0}")
    @ValueSource(strings = {"0.ts", "999999.ts", "abc.ts", "-1.ts", "1e3.ts", ".ts", "99999999999999999999.ts"})
    void aSegmentOfAnIdleChannelIsNotFound(String segment) {
        assertRejected("GET", "/live/ok/" + segment, 404, "segment_not_found");
    }

    @Test
    void anUnknownSegmentOfARunningChannelIsNotFound() {
        HttpResponse<String> playlist = server.get("/live/ok/index.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        String session = playlist.uri().getQuery();
        long future = LivePlaylist.parse(playlist.body()).segments().getLast().sequence() + 1000;

        assertRejected("GET", "/live/ok/" + future + ".ts?" + session, 404, "segment_not_found");
        assertRejected("GET", "/live/ok/abc.ts?" + session, 404, "segment_not_found");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "refused, Connection refused",
        "missing-file, No such file or directory",
    })
    void aFailingSourceAnswers503WithTheReasonWellBeforeTheStartTimeout(String id, String reason) {
        long began = System.nanoTime();
        HttpResponse<String> response = server.get("/live/" + id + "/index.m3u8");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - began);

        assertError(response, 503, "source_failed");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Integer.parseInt(s)).isPositive());
        assertThat(json(response).path("error").path("message").asText())
                .as("a viewer learns the condition, not the source's detail")
                .isEqualTo("channel " + id + " cannot play now (source_failed); try again shortly")
                .doesNotContain("nonexistent-headend-dir", "127.0.0.1:9");
        assertThat(elapsed).isLessThan(START_TIMEOUT.dividedBy(2));

        HttpResponse<String> started = server.post("/api/streams/" + id + "/start?wait=ready");
        assertError(started, 503, "source_failed");
        assertThat(json(started).path("error").path("message").asText()).as("the operator learns the reason")
                .contains(reason);
        JsonNode channel = json(server.get("/api/channels/" + id));
        assertThat(channel.path("state").asText()).isEqualTo("failed");
        assertThat(channel.path("last_error").asText()).contains(reason);
        await().atMost(START_TIMEOUT).until(() -> server.pipelinePids().isEmpty()
                && !snapshot().streamIds().contains(id));
    }

    @Test
    void playlistsAndSegmentsAllowEveryOriginButAdminAnswersCarryNoCorsHeader() {
        HttpResponse<String> playlist = fromOrigin("GET", "/live/ok/index.m3u8");
        String segment = playlist.uri().resolve(LivePlaylist.parse(playlist.body()).segments().getFirst().uri())
                .getPath() + "?" + playlist.uri().getQuery();
        List<HttpResponse<String>> playback = List.of(playlist, fromOrigin("GET", segment));
        List<HttpResponse<String>> admin = List.of(fromOrigin("GET", "/api/streams"),
                fromOrigin("GET", "/api/channels/ok"), fromOrigin("POST", "/api/streams/ok/start"),
                fromOrigin("GET", "/api/nope"));

        assertThat(playback).allSatisfy(r -> {
            assertThat(r.statusCode()).as("%s", r.uri()).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("%s", r.uri()).hasValue(ORIGIN);
        });
        assertThat(admin).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 404);
        assertThat(admin).allSatisfy(r -> assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
                .as("%s", r.uri()).isEmpty());
    }

    /** A request from a page of another origin, as a browser sends it (with the admin token). */
    private static HttpResponse<String> fromOrigin(String method, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN));
    }

    @Test
    void aCorsPreflightForPlaybackIsAnsweredWithoutReachingTheRoute() {
        Snapshot before = snapshot();

        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/live/ok/index.m3u8"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET"));

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                m -> assertThat(m).contains("GET").doesNotContain("POST"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aCorsPreflightForAnAdminRouteIsNotAllowed() {
        Snapshot before = snapshot();

        HttpResponse<String> preflight = server.anonymous(HttpRequest.newBuilder(URI.create(server.url()
                        + "/api/streams/ok/start"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization"));

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Every route that names a channel. */
    private static Stream<Arguments> channelRoutes(String id) {
        return Stream.of(
                Arguments.of("POST", "/api/streams/" + id + "/start"),
                Arguments.of("POST", "/api/streams/" + id + "/stop"),
                Arguments.of("POST", "/api/streams/" + id + "/restart"),
                Arguments.of("GET", "/api/streams/" + id),
                Arguments.of("GET", "/api/channels/" + id),
                Arguments.of("GET", "/api/channels/" + id + "/health"),
                Arguments.of("GET", "/live/" + id + "/index.m3u8"),
                Arguments.of("GET", "/live/" + id + "/0.ts"),
                Arguments.of("GET", "/live/" + id + ".ts"));
    }

    private static void assertRejected(String method, String path, int status, String code) {
        Snapshot before = snapshot();

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertError(response, status, code);
        assertThat(snapshot()).as("streams and FFmpeg processes after %s %s", method, path).isEqualTo(before);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type.split(";")[0].strip()).isEqualTo("application/json"));
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return ResponseJson.of(response);
    }

    /** What a bad request must not change: the listed streams and the live FFmpeg processes. */
    private record Snapshot(int count, List<String> streamIds, List<Long> pids) {}

    private static Snapshot snapshot() {
        JsonNode list = json(server.get("/api/streams"));
        return new Snapshot(list.path("count").asInt(), list.path("streams").findValuesAsText("stream_id").stream()
                .sorted().toList(), server.pipelinePids().stream().sorted().toList());
    }
}
