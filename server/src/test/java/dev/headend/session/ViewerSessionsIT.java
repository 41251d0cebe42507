package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Viewer sessions against a real server and real FFmpeg: the limit (429, nothing changes, a
 * returning player is not counted again), the sessions API, kicks (a TS connection closed at
 * once, an HLS token refused), ghost viewers of both protocols ended, and heartbeats.
 */
@NeedsFfmpeg
class ViewerSessionsIT {
    /** Enough of a continuous-TS answer to hold its headers and some media. */
    private static final int SOME_MEDIA = 64 * 188;

    @Test
    void theViewerOverTheLimitGets429AndKickedViewersAreGoneAtOnce() throws Exception {
        TestServer server = TestServer.start(TestServer.testChannel("tv", 60),
                Map.of("max_sessions_per_channel", "2", "session_idle_seconds", "600"));
        try (server; Socket ts = openTs(server, "tv")) {
            SessionRegistry sessions = server.server().sessions();
            URI player = server.openSession("tv").uri();
            String token = player.getQuery().substring("s=".length());
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 2);

            HttpResponse<String> third = server.get("/live/tv/index.m3u8");
            TestServer.RawResponse thirdTs = server.sendRaw("GET", "/live/tv.ts");

            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(ResponseJson.of(third).at("/error/code").asText()).isEqualTo("too_many_sessions");
            assertThat(third.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(thirdTs.status()).as(thirdTs.body()).isEqualTo(429);
            assertThat(thirdTs.headers()).containsEntry("retry-after", "10");
            assertThat(thirdTs.json().at("/error/code").asText()).isEqualTo("too_many_sessions");
            assertThat(sessions.size()).as("nothing changed").isEqualTo(2);
            assertThat(viewers(server, "tv")).isEqualTo(2);
            HttpResponse<String> returning = server.get(player.getPath() + "?" + player.getQuery());
            assertThat(returning.statusCode()).as("a returning player: " + returning.body()).isEqualTo(200);
            assertThat(sessions.size()).isEqualTo(2);

            JsonNode all = ResponseJson.of(server.get("/api/sessions"));
            assertThat(all.get("total_sessions").asInt()).isEqualTo(2);
            assertThat(all.at("/sessions_by_channel/tv").asInt()).isEqualTo(2);
            assertThat(all.get("average_duration_seconds").asDouble()).isGreaterThanOrEqualTo(0.0);
            Set<String> protocols = new HashSet<>();
            String tsId = null;
            String hlsId = null;
            for (JsonNode s : all.get("sessions")) {
                protocols.add(s.get("protocol").asText());
                assertThat(s.get("channel_id").asText()).isEqualTo("tv");
                assertThat(s.get("id").asText()).matches(SessionRegistry.ID).isNotEqualTo(token);
                assertThat(s.get("remote_address").asText()).isEqualTo("127.0.0.1");
                assertThat(s.has("started_at") && s.has("last_activity_at") && s.has("errors")).isTrue();
                if (s.get("protocol").asText().equals("ts")) {
                    tsId = s.get("id").asText();
                    assertThat(s.get("bytes_sent").asLong()).isGreaterThan(0);
                    assertThat(s.get("state").asText()).isIn("active", "idle");
                    assertThat(s.get("delivery_rate_bps").isNumber()).isTrue();
                } else {
                    hlsId = s.get("id").asText();
                    assertThat(s.get("delivery_rate_bps").isNull()).isTrue();
                }
            }
            assertThat(protocols).containsExactlyInAnyOrder("hls", "ts");
            assertThat(all.toString()).as("the API never shows a token").doesNotContain(token);
            assertThat(ResponseJson.of(server.get("/api/channels/tv/sessions")).get("total_sessions").asInt())
                    .isEqualTo(2);
            assertThat(ResponseJson.of(server.get("/api/sessions?channel_id=tv")).get("total_sessions").asInt())
                    .isEqualTo(2);
            assertError(server.get("/api/sessions?channel_id=nope"), 404, "channel_not_found");
            assertError(server.get("/api/sessions?channel_id=Bad%21"), 400, "invalid_channel_id");
            assertError(server.get("/api/channels/nope/sessions"), 404, "channel_not_found");
            assertError(delete(server, "/api/sessions/short"), 400, "invalid_session_id");
            assertError(delete(server, "/api/sessions/AAAAAAAAAAAAAAAA"), 404, "session_not_found");
            assertThat(sessions.size()).as("bad requests change nothing").isEqualTo(2);

            HttpResponse<String> kickTs = delete(server, "/api/sessions/" + tsId);
            assertThat(kickTs.statusCode()).as(kickTs.body()).isEqualTo(200);
            assertThat(ResponseJson.of(kickTs).at("/session/state").asText()).isEqualTo("disconnected");
            long kickedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> closed(ts));
            System.out.printf("kicked TS connection closed after %d ms%n", (System.nanoTime() - kickedAt) / 1_000_000);
            assertThat(delete(server, "/api/sessions/" + hlsId).statusCode()).isEqualTo(200);

            assertThat(sessions.size()).isZero();
            String metrics = server.get("/metrics").body();
            assertThat(metrics).contains("headend_session_transitions_total{state=\"created\"} 2.0")
                    .contains("headend_session_transitions_total{state=\"disconnected\"} 2.0");
            assertThat(sessions.byId(tsId)).isEmpty();
            assertThat(sessions.byId(hlsId)).isEmpty();
            assertThat(viewers(server, "tv")).isZero();
            assertError(server.get(player.getPath() + "?" + player.getQuery()), 403, "session_ended");
            LivePlaylist.Entry segment = LivePlaylist.parse(returning.body()).segments().getLast();
            assertError(server.get("/live/tv/" + segment.uri()), 403, "session_ended");
            assertThat(sessions.size()).isZero();
            assertError(delete(server, "/api/sessions/" + hlsId), 404, "session_not_found");
            assertThat(server.openSession("tv").uri().getQuery()).as("a kick is not a ban").isNotEqualTo("s=" + token);
            assertThat(sessions.size()).isEqualTo(1);
        }
    }

    @Test
    void ghostViewersOfBothProtocolsEnd() throws Exception {
        TestServer server = TestServer.start(TestServer.testChannel("tv", 120), Map.of("session_idle_seconds", "1s"));
        try (server) {
            SessionRegistry sessions = server.server().sessions();
            Socket ts = openTs(server, "tv");
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 1);
            ts.close();
            long vanished = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() == 0);
            System.out.printf("ghost TS session ended %d ms after its client vanished%n",
                    (System.nanoTime() - vanished) / 1_000_000);

            HttpResponse<String> first = server.openSession("tv");
            String playlistUrl = first.uri().getPath() + "?" + first.uri().getQuery();
            LivePlaylist playlist = LivePlaylist.parse(first.body());
            LivePlaylist.Entry segment = playlist.segments().getLast();
            assertThat(server.getBytes("/live/tv/" + segment.uri()).statusCode()).isEqualTo(200);
            long lastSegment = System.nanoTime();
            // a paused player: it keeps polling the playlist and requests no segment
            await().atMost(Duration.ofSeconds(3L * playlist.targetDuration() + 1 + 10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> server.get(playlistUrl).statusCode() == 200 && sessions.size() == 0);
            System.out.printf("ghost HLS session ended %d ms after its last segment request (target duration %d s)%n",
                    (System.nanoTime() - lastSegment) / 1_000_000, playlist.targetDuration());
            HttpResponse<String> poll = server.get(playlistUrl);
            assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
            assertThat(sessions.size()).as("a playlist poll opens nothing").isZero();

            String next = LivePlaylist.parse(poll.body()).segments().getLast().uri();
            assertThat(server.getBytes("/live/tv/" + next).statusCode()).isEqualTo(200);
            assertThat(sessions.size()).as("a segment request reopens the session").isEqualTo(1);
            assertThat(viewers(server, "tv")).isEqualTo(1);
        }
    }

    @Test
    void heartbeatsKeepAStreamAliveUntilTheyStop() throws Exception {
        TestServer server = TestServer.start(TestServer.testChannel("tv", 2) + TestServer.testChannel("spare"));
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        try (server) {
            assertError(server.post("/api/streams/spare/heartbeat"), 404, "stream_not_running");
            assertError(server.post("/api/streams/nope/heartbeat"), 404, "channel_not_found");
            assertError(server.post("/api/streams/Bad!/heartbeat"), 400, "invalid_channel_id");
            assertError(server.post("/api/streams/spare/heartbeat?start=maybe"), 400, "invalid_parameter");
            assertThat(server.server().streams().find("spare")).as("a heartbeat starts nothing").isEmpty();
            HttpResponse<String> started = server.post("/api/streams/spare/heartbeat?start=true");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            assertThat(server.server().streams().find("spare").orElseThrow().store().hasSegment())
                    .as("answered once the channel it started has a segment").isTrue();
            assertThat(server.post("/api/streams/tv/start?wait=ready").statusCode()).isEqualTo(200);
            HttpResponse<String> get = server.get("/api/streams/tv/heartbeat");
            assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
            assertThat(ResponseJson.of(get).get("linger_seconds").asDouble()).isEqualTo(2.0);

            beats.scheduleAtFixedRate(() -> server.post("/api/streams/tv/heartbeat"), 0, 500, TimeUnit.MILLISECONDS);
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> running(server, "tv"));
            beats.shutdownNow();
            assertThat(beats.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            long lastBeat = System.nanoTime();

            await().atMost(Duration.ofSeconds(15)).until(() -> !running(server, "tv"));
            System.out.printf("stream stopped %d ms after the last heartbeat (linger 2 s)%n",
                    (System.nanoTime() - lastBeat) / 1_000_000);
            assertError(server.post("/api/streams/tv/heartbeat"), 404, "stream_not_running");
        } finally {
            beats.shutdownNow();
        }
    }

    private static boolean running(TestServer server, String id) {
        return server.server().streams().find(id).filter(s -> !s.terminal()).isPresent();
    }

    private static int viewers(TestServer server, String id) {
        return ResponseJson.of(server.get("/api/streams/" + id)).get("viewers").asInt();
    }

    private static HttpResponse<String> delete(TestServer server, String path) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + path)).DELETE());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(ResponseJson.of(r).at("/error/code").asText()).as(r.body()).isEqualTo(code);
    }

    /** A continuous-TS viewer on a raw socket that has read its headers and some media. */
    private static Socket openTs(TestServer server, String id) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET /live/" + id + ".ts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        byte[] head = in.readNBytes(12);
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        assertThat(in.readNBytes(SOME_MEDIA)).hasSize(SOME_MEDIA);
        return socket;
    }

    /** Whether the server closed the connection: reading reaches its end (or a reset). */
    private static boolean closed(Socket socket) {
        try {
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
