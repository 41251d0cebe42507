package dev.headend.api;

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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Channels through the API: create, change, delete with ETags; stored across restarts; the
 * file's channels read-only; a change to a running channel hot-swaps it; a delete stops it.
 */
@NeedsFfmpeg
class ChannelsCrudIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String FILE_CHANNEL = TestServer.testChannel("filed");

    private static String definition(String id, String name) {
        return """
                {"id": "%s", "name": "%s", "source": "test:", "linger_seconds": 30,
                 "profile": {"type": "h264", "width": 320, "height": 180, "fps": 25, "bitrate_kbps": 300,
                             "preset": "ultrafast"}}""".formatted(id, name);
    }

    private static HttpResponse<String> send(TestServer server, String method, String path, String body,
            String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b);
    }

    private static String etag(HttpResponse<String> r) {
        return r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + r.headers()));
    }

    private static JsonNode channel(TestServer server, String id) {
        HttpResponse<String> r = server.get("/api/channels/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResponseJson.of(r);
    }

    private static List<String> ids(TestServer server) {
        JsonNode all = ResponseJson.of(server.get("/api/channels")).get("channels");
        return StreamSupport.stream(all.spliterator(), false).map(c -> c.get("id").asText() + ":"
                + c.get("origin").asText()).toList();
    }

    @Test
    void createChangeDeleteWithETagsAndEverythingSurvivesARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("headend-crud").resolve("data");
        Map<String, String> settings = Map.of("data_dir", dataDir.toString());
        String etag;
        try (TestServer server = TestServer.start(FILE_CHANNEL, settings)) {
            HttpResponse<String> created = send(server, "POST", "/api/channels", definition("made", "Made"));

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue("/api/channels/made");
            etag = etag(created);
            assertThat(etag).matches("\"[0-9a-f]{24}\"");
            JsonNode body = ResponseJson.of(created);
            assertThat(body.get("origin").asText()).isEqualTo("api");
            assertThat(body.get("name").asText()).isEqualTo("Made");
            assertThat(body.get("linger_seconds").asInt()).isEqualTo(30);
            assertThat(ids(server)).containsExactly("filed:file", "made:api");
            assertThat(etag(server.get("/api/channels/made"))).isEqualTo(etag);

            HttpResponse<String> changed = send(server, "PUT", "/api/channels/made", definition("made", "Renamed"),
                    "If-Match", etag);
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            String newEtag = etag(changed);
            assertThat(newEtag).isNotEqualTo(etag);
            assertThat(channel(server, "made").get("name").asText()).isEqualTo("Renamed");

            HttpResponse<String> stale = send(server, "PUT", "/api/channels/made", definition("made", "Lost"),
                    "If-Match", etag);
            assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
            assertThat(errorCode(stale)).isEqualTo("precondition_failed");
            HttpResponse<String> staleDelete = send(server, "DELETE", "/api/channels/made", null, "If-Match", etag);
            assertThat(staleDelete.statusCode()).as(staleDelete.body()).isEqualTo(412);
            assertThat(channel(server, "made").get("name").asText()).as("nothing changed").isEqualTo("Renamed");
            assertThat(etag(server.get("/api/channels/made"))).isEqualTo(newEtag);

            HttpResponse<String> reload = server.post("/api/config/reload");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            assertThat(ids(server)).as("a reload keeps the API's channels").containsExactly("filed:file", "made:api");
            etag = newEtag;
        }
        try (TestServer server = TestServer.start(FILE_CHANNEL, settings)) {
            assertThat(ids(server)).containsExactly("filed:file", "made:api");
            assertThat(channel(server, "made").get("name").asText()).isEqualTo("Renamed");
            assertThat(etag(server.get("/api/channels/made"))).as("same version, same ETag").isEqualTo(etag);

            HttpResponse<String> deleted = send(server, "DELETE", "/api/channels/made", null, "If-Match", etag);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(server.get("/api/channels/made").statusCode()).isEqualTo(404);
        }
        try (TestServer server = TestServer.start(FILE_CHANNEL, settings)) {
            assertThat(ids(server)).containsExactly("filed:file");
        }
    }

    @Test
    void fileChannelsAreReadOnlyAndTheirIdsCannotBeCreated() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            String etag = etag(server.get("/api/channels/filed"));
            JsonNode before = channel(server, "filed");
            assertThat(before.get("origin").asText()).isEqualTo("file");

            HttpResponse<String> put = send(server, "PUT", "/api/channels/filed", definition("filed", "X"),
                    "If-Match", etag);
            HttpResponse<String> delete = send(server, "DELETE", "/api/channels/filed", null);
            HttpResponse<String> post = send(server, "POST", "/api/channels", definition("filed", "X"));

            assertThat(put.statusCode()).as(put.body()).isEqualTo(409);
            assertThat(errorCode(put)).isEqualTo("read_only_channel");
            assertThat(ResponseJson.of(put).at("/error/message").asText()).contains("configuration file");
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(409);
            assertThat(errorCode(delete)).isEqualTo("read_only_channel");
            assertThat(post.statusCode()).as(post.body()).isEqualTo(409);
            assertThat(errorCode(post)).isEqualTo("channel_exists");
            assertThat(channel(server, "filed")).isEqualTo(before);
            assertThat(etag(server.get("/api/channels/filed"))).isEqualTo(etag);
            assertThat(ids(server)).containsExactly("filed:file");
        }
    }

    private static final List<String> BAD_BODIES = List.of(
        "not json",
        "[1, 2]",
        "{}",
        "{\"id\": \"Bad Id\", \"source\": \"test:\"}",
        "{\"id\": \"start\", \"source\": \"test:\"}",
        "{\"id\": \"x\"}",
        "{\"id\": \"x\", \"source\": \"gopher://host/\"}",
        "{\"id\": \"x\", \"source\": \"test:\", \"sources\": [\"test:\"]}",
        "{\"id\": \"x\", \"source\": \"test:\", \"colour\": \"red\"}",
        "{\"id\": \"x\", \"source\": \"test:\", \"profile\": \"copy\"}",
        "{\"id\": \"x\", \"source\": \"test:\", \"profile\": {\"bitrate_kbps\": 1}}",
        "{\"id\": \"x\", \"source\": \"test:\", \"linger_seconds\": \"ten\"}",
        "{\"id\": \"x\", \"source\": \"test:\", \"on_demand\": \"yes\"}",
        "{\"id\": \"x\", \"source\": \"rtsp://user:hunter2@\"}",
        "{\"id\": \"filed\", \"source\": \"test:\"}");

    @Test
    void everyBadDefinitionIsRefusedWithTheReasonAndChangesNothing() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> existing = send(server, "POST", "/api/channels", definition("kept", "Kept"));
            assertThat(existing.statusCode()).as(existing.body()).isEqualTo(201);
            String etag = etag(existing);
            List<String> before = ids(server);
            for (String body : BAD_BODIES) {
                refusedAndNothingChanged(server, body, etag, before);
            }
            assertThat(server.server().pool().stats().spawned()).isZero();
        }
    }

    private static void refusedAndNothingChanged(TestServer server, String body, String etag, List<String> before) {
        HttpResponse<String> post = send(server, "POST", "/api/channels", body);
        HttpResponse<String> put = send(server, "PUT", "/api/channels/kept",
                body.replace("\"id\": \"x\"", "\"id\": \"kept\""), "If-Match", etag);

        for (HttpResponse<String> r : List.of(post, put)) {
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(400, 409, 422);
            assertThat(ResponseJson.of(r).at("/error/message").asText()).isNotBlank();
            assertThat(r.body()).doesNotContain("hunter2").doesNotContain("Exception");
        }
        assertThat(ids(server)).isEqualTo(before);
        assertThat(etag(server.get("/api/channels/kept"))).isEqualTo(etag);
        assertThat(channel(server, "kept").get("name").asText()).isEqualTo("Kept");
    }

    @Test
    void theParsersMessageIsTheAnswerAndAPutCannotRenameAChannel() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> bad = send(server, "POST", "/api/channels",
                    "{\"id\": \"x\", \"source\": \"test:\", \"profile\": {\"bitrate_kbps\": 1}}");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
            assertThat(errorCode(bad)).isEqualTo("invalid_channel");
            assertThat(ResponseJson.of(bad).at("/error/message").asText())
                    .startsWith("channel x: bitrate_kbps must be between 64 and 100000, got 1");

            HttpResponse<String> created = send(server, "POST", "/api/channels", definition("one", "One"));
            HttpResponse<String> renamed = send(server, "PUT", "/api/channels/one", definition("two", "Two"));
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(400);
            assertThat(errorCode(renamed)).isEqualTo("id_mismatch");
            assertThat(etag(server.get("/api/channels/one"))).isEqualTo(etag(created));
            assertThat(send(server, "PUT", "/api/channels/nope", definition("nope", "N")).statusCode())
                    .isEqualTo(404);
            assertThat(ids(server)).containsExactly("filed:file", "one:api");
        }
    }

    @Test
    void credentialsInASourceAreMaskedInEveryAnswer() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> created = send(server, "POST", "/api/channels",
                    "{\"id\": \"cam\", \"source\": \"rtsp://admin:hunter2@10.0.0.9/stream1\"}");

            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).doesNotContain("hunter2");
            assertThat(server.get("/api/channels/cam").body()).doesNotContain("hunter2").contains("10.0.0.9");
            assertThat(server.get("/api/channels").body()).doesNotContain("hunter2");
        }
    }

    @Test
    void aChangeToARunningChannelIsHotSwappedAndItsPlaylistKeepsPlaying() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            HttpResponse<String> created = send(server, "POST", "/api/channels", definition("live", "Before"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try (HlsViewer viewer = new HlsViewer(server, "live", Duration.ofMillis(250))) {
                long oldPid = Streams.runningPid(server, "live");
                await().atMost(START).until(() -> viewer.history().size() >= 2);
                long newestBefore = viewer.newest();

                HttpResponse<String> changed = send(server, "PUT", "/api/channels/live", definition("live", "After"),
                        "If-Match", etag(created));

                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                await().atMost(BOUND).until(() -> Streams.replaced(Streams.stream(server, "live"), oldPid));
                await().atMost(BOUND).until(() -> viewer.newest() >= newestBefore + 4);
                assertThat(viewer.statuses()).containsOnly(200);
                assertThat(pid(Streams.stream(server, "live"))).isNotEqualTo(oldPid);
                assertThat(channel(server, "live").get("name").asText()).isEqualTo("After");
            }
        }
    }

    @Test
    void deletingARunningChannelStopsItsStreamWithReasonDeleted() {
        try (TestServer server = TestServer.start(FILE_CHANNEL)) {
            assertThat(send(server, "POST", "/api/channels", definition("doomed", "Doomed")).statusCode())
                    .isEqualTo(201);
            HttpResponse<String> started = server.post("/api/streams/doomed/start?wait=ready");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            long pid = Streams.runningPid(server, "doomed");

            HttpResponse<String> deleted = send(server, "DELETE", "/api/channels/doomed", null);

            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            await().atMost(BOUND).until(() -> !Streams.alive(pid));
            await().atMost(BOUND).until(() -> server.get("/api/streams/doomed").statusCode() == 404);
            await().atMost(BOUND).until(() -> ResponseJson.of(server.get(
                    "/api/events/history?types=stream_ended&channel_id=doomed")).get("events").size() == 1);
            JsonNode ended = ResponseJson.of(server.get("/api/events/history?types=stream_ended&channel_id=doomed"))
                    .get("events").get(0);
            assertThat(ended.at("/data/reason").asText()).as(ended.toString()).isEqualTo("deleted");
            assertThat(server.get("/api/channels/doomed").statusCode()).isEqualTo(404);
            assertThat(server.pipelinePids()).isEmpty();
        }
    }
}
