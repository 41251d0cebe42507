package dev.headend.web;

import static dev.headend.support.Streams.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP layer against a real server: errors Jetty makes before any route have the JSON
 * error shape, segments honour byte ranges and HEAD as a static file server does, the start
 * call takes the channel in its body, and a channel whose start failed reads as failed.
 * Requests that must reach the server byte for byte go over a raw socket.
 */
@NeedsFfmpeg
class HttpLayerIT {
    @AutoClose
    private static TestServer server;
    /** The playlist URL (with its session token) of a channel that runs for the whole class. */
    private static URI live;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("ok", 300) + """
                  - id: broken
                    source: "file:/nonexistent-headend-dir/missing.ts"
                """);
        live = server.openSession("ok").uri();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /live/..%2f..%2f..%2fetc%2fpasswd, 400, bad_request",
            "GET, /live/ok/%2e%2e/%2e%2e/index.m3u8, 400, bad_request",
            "GET, /api/streams/%zz, 400, bad_request",
            "POST, /api/streams/ok/start?wait=%zz, 400, bad_request",
            "GET, /live/ok/index.m3u8?s=%zz, 400, bad_request"})
    void requestsJettyRefusesGetTheJsonErrorShape(String method, String target, int status, String code)
            throws IOException {
        TestServer.RawResponse r = server.sendRaw(method, target);

        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.json().path("error").path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("<html", "at org.eclipse");
    }

    @Test
    void aUriTooLongIs414WithTheJsonErrorShape() throws IOException {
        TestServer.RawResponse r = server.sendRaw("GET", "/api/" + "a".repeat(20_000));

        assertThat(r.status()).isEqualTo(414);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("uri_too_long");
    }

    @Test
    void headersTooLargeAre431WithTheJsonErrorShape() throws IOException {
        TestServer.RawResponse r = server.sendRaw("GET", "/healthz", "X-Filler: " + "b".repeat(20_000));

        assertThat(r.status()).isEqualTo(431);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void aSegmentHonoursASingleByteRangeAsNginxDoes() throws IOException {
        String segment = segmentPath();
        int size = server.getBytes(segment).body().length;

        TestServer.RawResponse part = server.sendRaw("GET", segment, "Range: bytes=0-187");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.headers()).containsEntry("content-range", "bytes 0-187/" + size)
                .containsEntry("content-length", "188").containsEntry("accept-ranges", "bytes");
        assertThat(part.body().charAt(0)).isEqualTo((char) 0x47);

        TestServer.RawResponse tail = server.sendRaw("GET", segment, "Range: bytes=-100");
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.headers()).containsEntry("content-range", "bytes " + (size - 100) + "-" + (size - 1) + "/"
                + size);

        TestServer.RawResponse outside = server.sendRaw("GET", segment, "Range: bytes=" + size + "-");
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.headers()).containsEntry("content-range", "bytes */" + size);
        assertThat(outside.json().path("error").path("code").asText()).isEqualTo("range_not_satisfiable");
    }

    @Test
    void headOnPlaylistsAndSegmentsAnswersTheHeadersOfGetWithoutABody() throws Exception {
        String segment = segmentPath();
        HttpResponse<byte[]> full = server.client().send(HttpRequest.newBuilder(URI.create(server.url() + segment))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        HttpResponse<String> headSegment = head(segment);
        HttpResponse<String> headPlaylist = head(live.getPath() + "?" + live.getQuery());

        assertThat(headSegment.statusCode()).isEqualTo(200);
        assertThat(headSegment.body()).isEmpty();
        assertThat(headSegment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(headSegment.headers().firstValueAsLong("Content-Length")).hasValue(full.body().length);
        assertThat(headPlaylist.statusCode()).isEqualTo(200);
        assertThat(headPlaylist.body()).isEmpty();
        assertThat(headPlaylist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
    }

    @Test
    void theStartCallTakesTheChannelInAJsonBodyAsCameraManagersSendIt() {
        HttpResponse<String> started = post("/api/streams/start", "{\"stream_id\": \"ok\"}");
        HttpResponse<String> missing = post("/api/streams/start", "{\"camera\": \"ok\"}");
        HttpResponse<String> notJson = post("/api/streams/start", "stream_id=ok");
        HttpResponse<String> unknown = post("/api/streams/start", "{\"stream_id\": \"nosuch\"}");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(ResponseJson.of(started).path("stream_id").asText()).isEqualTo("ok");
        assertThat(ResponseJson.of(started).path("already_running").asBoolean()).isTrue();
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(errorCode(missing)).isEqualTo("invalid_parameter");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(notJson)).isEqualTo("invalid_body");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("channel_not_found");
    }

    @Test
    void aChannelWhoseStartFailedReadsAsFailedEverywhere() {
        HttpResponse<String> start = server.post("/api/streams/broken/start?wait=ready");
        assertThat(start.statusCode()).isEqualTo(503);

        JsonNode channel = ResponseJson.of(server.get("/api/channels/broken"));
        JsonNode health = ResponseJson.of(server.get("/api/channels/broken/health"));

        assertThat(channel.path("state").asText()).isEqualTo("failed");
        assertThat(health.path("status").asText()).isEqualTo("failed");
        assertThat(health.path("reason").asText()).isEqualTo(channel.path("last_error").asText())
                .contains("No such file or directory");
        assertThat(health.path("last_segment_at").isNull()).isTrue();
    }

    @Test
    void theMediaSequenceShownIsThePlaylists() {
        LivePlaylist playlist = LivePlaylist.parse(server.send(HttpRequest.newBuilder(live).GET()).body());
        JsonNode stream = Streams.stream(server, "ok");

        assertThat(stream.path("media_sequence").asLong()).isBetween(playlist.mediaSequence(),
                playlist.mediaSequence() + 1);
        assertThat(stream.path("last_segment_at").asText()).isNotBlank();
    }

    private static String segmentPath() {
        LivePlaylist playlist = LivePlaylist.parse(server.send(HttpRequest.newBuilder(live).GET()).body());
        URI segment = live.resolve(playlist.segments().getFirst().uri());
        return segment.getPath() + "?" + segment.getQuery();
    }

    private static HttpResponse<String> head(String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> post(String path, String body) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }
}
