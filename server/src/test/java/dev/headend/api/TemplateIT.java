package dev.headend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Templates: a request for an id a template's pattern matches makes an ephemeral channel with a
 * real pipeline, listed with origin {@code template} while its stream exists; hostile ids make
 * nothing and start nothing.
 */
@NeedsFfmpeg
class TemplateIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TEMPLATES = """
            templates:
              - id: tpl-{n}
                name: Pattern {n}
                source: "test:"
                linger_seconds: 1
                profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
            """;

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("plain"), Map.of(), TEMPLATES);
    }

    private static List<String> listed() {
        JsonNode all = ResponseJson.of(server.get("/api/channels")).get("channels");
        return StreamSupport.stream(all.spliterator(), false)
                .map(c -> c.get("id").asText() + ":" + c.get("origin").asText()).toList();
    }

    @Test
    void aMatchingIdMakesAChannelThatPlaysAndGoesAwayWhenItsStreamIsStopped() {
        HttpResponse<String> playlist = server.openSession("tpl-Cam1_Profile.0");

        assertThat(playlist.body()).contains("#EXTINF");
        assertThat(listed()).containsExactly("plain:file", "tpl-Cam1_Profile.0:template");
        JsonNode channel = ResponseJson.of(server.get("/api/channels/tpl-Cam1_Profile.0"));
        assertThat(channel.get("name").asText()).isEqualTo("Pattern Cam1_Profile.0");
        assertThat(channel.get("origin").asText()).isEqualTo("template");
        long pid = Streams.runningPid(server, "tpl-Cam1_Profile.0");
        HttpResponse<String> put = server.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/channels/tpl-Cam1_Profile.0")).PUT(HttpRequest.BodyPublishers.ofString("{\"source\": \"test:\"}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(409);

        assertThat(server.post("/api/streams/tpl-Cam1_Profile.0/stop").statusCode()).isEqualTo(200);

        await().atMost(BOUND).until(() -> !Streams.alive(pid));
        await().atMost(BOUND).until(() -> listed().equals(List.of("plain:file")));
        assertThat(server.pipelinePids()).isEmpty();
    }

    @Test
    void aContinuousTsViewerMakesAChannelThatGoesAwayWhenItIsIdle() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/live/tpl-7.ts"))
                .timeout(BOUND).GET().build();
        HttpResponse<InputStream> ts = server.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(ts.statusCode()).isEqualTo(200);
        try (InputStream body = ts.body()) {
            byte[] packets = body.readNBytes(188 * 50);
            assertThat(packets).hasSize(188 * 50);
            assertThat(packets[0]).isEqualTo((byte) 0x47);
            assertThat(listed()).contains("tpl-7:template");
        }

        await().atMost(BOUND).until(() -> !listed().contains("tpl-7:template"));
        await().atMost(BOUND).until(() -> server.pipelinePids().isEmpty());
        assertThat(server.get("/api/channels/tpl-7").statusCode()).isEqualTo(404);
    }

    @Test
    void hostileIdsMakeNothingAndStartNothing() {
        long spawned = server.server().pool().stats().spawned();
        List<String> before = listed();
        String huge = "tpl-" + "a".repeat(10_240);
        List<String> ids = List.of("tpl-..", "tpl-.", "tpl-..%2F", "tpl-..%2Fplain", "tpl-%2f", "tpl-%2Fetc", "tpl--i",
                "tpl--y", "tpl-%3B", "tpl-a%3Bid", "tpl-a%7Cid", "tpl-%24%28id%29", "tpl-%60id%60", "tpl-a%20b",
                "tpl-", "tpl-a%00", "tpl-%E2%80%AE", "tpl-" + "a".repeat(65));

        for (String id : ids) {
            for (String target : List.of("/live/" + id + "/index.m3u8", "/live/" + id + ".ts")) {
                TestServer.RawResponse r = server.sendRaw("GET", target);
                assertThat(r.status()).as(target + " -> " + r.body()).isIn(400, 404);
            }
            HttpResponse<String> start = server.post("/api/streams/" + id + "/start");
            assertThat(start.statusCode()).as(id + " -> " + start.body()).isIn(400, 404);
        }
        HttpResponse<String> startHuge = server.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/streams/start")).POST(HttpRequest.BodyPublishers.ofString("{\"stream_id\": \"" + huge + "\"}")));
        assertThat(startHuge.statusCode()).as(startHuge.body()).isIn(400, 404);
        TestServer.RawResponse hugePlaylist = server.sendRaw("GET", "/live/" + huge + "/index.m3u8");
        assertThat(hugePlaylist.status()).as("too long for a request line, or refused").isIn(400, 404, 414, 431);

        assertThat(listed()).isEqualTo(before);
        assertThat(server.server().pool().stats().spawned()).isEqualTo(spawned);
    }
}
