package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.session.SessionRegistry;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestImages;
import dev.headend.support.TestServer;
import dev.headend.support.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Relay viewers are viewer sessions (protocol {@code ws}) over real WebSockets: listed with their
 * stream and growing bytes, kicked (the socket closed at once with the reason), limited per
 * stream (429 with {@code Retry-After} before the upgrade; nothing changes), and ended when the
 * client vanishes (closed, or silent and past the keepalive deadline).
 */
@NeedsFfmpeg
class RelaySessionsIT {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void relayViewersAreListedAsWsSessionsAndAKickClosesTheSocket() throws Exception {
        try (TestServer server = TestServer.start("", Map.of());
                WsClient publisher = connect(server, "/ws/publish/cam");
                WsClient viewer = connect(server, "/ws/watch/cam");
                WsClient everything = connect(server, "/ws/watch")) {
            SessionRegistry sessions = server.server().sessions();
            publisher.awaitType("publishing");
            publisher.sendBinary(TestImages.jpeg(64, 48, 1000));
            await().atMost(BOUND).until(() -> viewer.frames.size() == 1 && everything.frames.size() == 1);

            JsonNode all = ResponseJson.of(server.get("/api/sessions"));
            assertThat(all.get("total_sessions").asInt()).isEqualTo(2);
            assertThat(all.at("/sessions_by_channel/cam").asInt()).isEqualTo(1);
            assertThat(all.at("/sessions_by_channel/*").asInt()).as("viewers of every stream").isEqualTo(1);
            JsonNode cam = session(all, "cam");
            assertThat(cam.get("protocol").asText()).isEqualTo("ws");
            assertThat(cam.get("remote_address").asText()).isEqualTo("127.0.0.1");
            assertThat(cam.get("user_agent").asText()).startsWith("Java-http-client");
            assertThat(cam.get("started_at").asText()).isNotEmpty();
            assertThat(cam.get("last_activity_at").asText()).isNotEmpty();
            assertThat(cam.get("errors").asInt()).isZero();
            assertThat(cam.get("delivery_rate_bps").isNull()).isTrue();
            long firstBytes = cam.get("bytes_sent").asLong();
            assertThat(firstBytes).as("the frame and its header").isGreaterThan(1000);
            assertThat(session(all, "*").get("protocol").asText()).isEqualTo("ws");
            assertThat(ResponseJson.of(server.get("/api/sessions?channel_id=cam")).get("total_sessions").asInt())
                    .as("a relay stream's viewers by its id, though no channel has it").isEqualTo(1);

            publisher.sendBinary(TestImages.jpeg(64, 48, 2000));
            await().atMost(BOUND).until(() -> viewer.frames.size() == 2);
            await().atMost(BOUND).until(() -> {
                JsonNode now = session(ResponseJson.of(server.get("/api/sessions")), "cam");
                return now.get("bytes_sent").asLong() > firstBytes + 2000 && now.get("state").asText().equals("active");
            });

            String id = cam.get("id").asText();
            HttpResponse<String> kick = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/sessions/"
                    + id)).DELETE());
            assertThat(kick.statusCode()).as(kick.body()).isEqualTo(200);
            assertThat(ResponseJson.of(kick).at("/session/protocol").asText()).isEqualTo("ws");
            assertThat(viewer.awaitClose()).isEqualTo(1008);
            assertThat(viewer.closeReason()).isEqualTo(SessionRegistry.KICKED);
            assertThat(sessions.byId(id)).isEmpty();
            await().atMost(BOUND).until(() -> server.server().relay().viewers().size() == 1);

            publisher.sendBinary(TestImages.jpeg(64, 48, 3000));
            await().atMost(BOUND).until(() -> everything.frames.stream().anyMatch(f -> f.sequence() == 3));
            assertThat(viewer.frames).as("nothing reaches a kicked viewer").hasSize(2);
            JsonNode events = await().atMost(BOUND).until(() -> ResponseJson.of(server.get(
                    "/api/events/history?types=session_started,session_ended")).get("events"), e -> e.size() == 3);
            assertThat(events.findValuesAsText("type")).containsOnly("session_started", "session_ended");
            assertThat(events.findValues("data")).allSatisfy(d -> assertThat(d.get("protocol").asText())
                    .isEqualTo("ws"));
        }
    }

    @Test
    void aViewerOverTheLimitGets429BeforeTheUpgradeAndNothingChanges() throws Exception {
        try (TestServer server = TestServer.start("", Map.of("max_sessions_per_channel", "2"));
                WsClient one = connect(server, "/ws/watch/full");
                WsClient two = connect(server, "/ws/watch/full");
                WsClient all = connect(server, "/ws/watch")) {
            SessionRegistry sessions = server.server().sessions();
            one.awaitType("viewer_connected");
            two.awaitType("viewer_connected");
            all.awaitType("viewer_connected");

            Throwable refused = catchThrowable(() -> connect(server, "/ws/watch/full"));
            assertThat(refused).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(429);
            TestServer.RawResponse raw = server.sendRaw("GET", "/ws/watch/full", "Upgrade: websocket",
                    "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + key());
            assertThat(raw.status()).as(raw.body()).isEqualTo(429);
            assertThat(raw.headers()).containsEntry("retry-after", "10");
            assertThat(raw.json().at("/error/code").asText()).isEqualTo("too_many_sessions");
            assertThat(raw.json().at("/error/message").asText()).contains("max_sessions_per_channel");

            assertThat(sessions.size()).as("nothing changed").isEqualTo(3);
            assertThat(sessions.count("full")).isEqualTo(2);
            assertThat(server.server().relay().viewers()).hasSize(3);
            try (WsClient other = connect(server, "/ws/watch/other")) {
                assertThat(other.awaitType("viewer_connected")).as("the limit is per stream").isNotNull();
            }
            two.close();
            await().atMost(BOUND).until(() -> sessions.count("full") == 1);
            try (WsClient again = connect(server, "/ws/watch/full")) {
                assertThat(again.awaitType("viewer_connected")).as("a place freed is taken").isNotNull();
            }
        }
    }

    @Test
    void aViewerWhoseClientVanishesEnds() throws Exception {
        try (TestServer server = TestServer.start("", Map.of("relay_ping_seconds", "300ms",
                "relay_pong_timeout_seconds", "2s"));
                WsClient closing = connect(server, "/ws/watch/gone")) {
            SessionRegistry sessions = server.server().sessions();
            closing.awaitType("viewer_connected");
            assertThat(sessions.count("gone")).isEqualTo(1);
            closing.close();
            await().atMost(BOUND).until(() -> sessions.count("gone") == 0);

            try (Socket silent = handshake(server, "/ws/watch/silent")) {
                await().atMost(BOUND).until(() -> sessions.count("silent") == 1);
                long vanished = System.nanoTime();
                await().atMost(BOUND).until(() -> sessions.count("silent") == 0);
                System.out.printf("silent ws session ended %d ms after its client stopped answering (pong timeout"
                        + " 2 s)%n", (System.nanoTime() - vanished) / 1_000_000);
                assertThat(server.server().relay().viewers()).isEmpty();
            }
        }
    }

    private static WsClient connect(TestServer server, String path) throws Exception {
        return WsClient.connect(WsClient.url(server, path));
    }

    private static JsonNode session(JsonNode list, String channelId) {
        for (JsonNode s : list.get("sessions")) {
            if (s.get("channel_id").asText().equals(channelId)) {
                return s;
            }
        }
        throw new AssertionError("no session on " + channelId + " in " + list);
    }

    private static String key() {
        return Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    /** A WebSocket client on a raw socket that completes the handshake and then never reads or answers again. */
    private static Socket handshake(TestServer server, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key() + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
        return socket;
    }
}
