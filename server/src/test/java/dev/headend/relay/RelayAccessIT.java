package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.WsClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Who may publish and watch: tokens when configured, the admin token always, loopback pages of this server otherwise. */
@NeedsFfmpeg
class RelayAccessIT {
    private static final String PUBLISH_SECRET = "relay-publish-secret-0123456789";
    private static final String WATCH_TOKEN = "relay-watch-token-0123456789";

    private static int refusal(TestServer server, String path) {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> WsClient.connect(WsClient.url(server, path)));
        assertThat(e).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    /** The error code of a GET that asks for an upgrade over a raw socket (the JDK client refuses Upgrade and Origin). */
    private static String code(TestServer server, String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Upgrade: websocket";
        all[1] = "Connection: Upgrade";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.sendRaw("GET", path, all).json().at("/error/code").asText();
    }

    @Test
    void withTokensConfiguredEachSocketNeedsItsTokenOrTheAdminToken() throws Exception {
        try (TestServer server = TestServer.start("", Map.of("relay_publish_secret", PUBLISH_SECRET,
                "relay_watch_token", WATCH_TOKEN))) {
            assertThat(refusal(server, "/ws/publish/cam")).isEqualTo(401);
            assertThat(refusal(server, "/ws/watch/cam")).isEqualTo(401);
            assertThat(refusal(server, "/ws/watch")).isEqualTo(401);
            assertThat(refusal(server, "/ws/watch?token=wrong-token-0123456789")).isEqualTo(403);
            assertThat(refusal(server, "/ws/publish/cam?token=" + WATCH_TOKEN)).isEqualTo(403);
            assertThat(code(server, "/ws/watch")).isEqualTo("token_required");

            HttpResponse<String> made = server.post("/api/relay/streams/cam/publish-token");
            assertThat(made.statusCode()).isEqualTo(200);
            String token = ResponseJson.of(made).path("publish_token").asText();
            assertThat(ResponseJson.of(made).path("publish_url").asText()).startsWith("ws://")
                    .endsWith("/ws/publish/cam?token=" + token);
            assertThat(refusal(server, "/ws/publish/other?token=" + token)).isEqualTo(403);
            assertThat(server.server().relay().streams()).isEmpty();

            try (WsClient publisher = WsClient.connect(WsClient.url(server, "/ws/publish/cam?token=" + token));
                    WsClient viewer = WsClient.connect(WsClient.url(server, "/ws/watch/cam?token=" + WATCH_TOKEN));
                    WsClient admin = WsClient.connect(WsClient.url(server, "/ws/watch?token="
                            + TestServer.ADMIN_TOKEN));
                    WsClient adminPublisher = WsClient.connect(WsClient.url(server, "/ws/publish/cam2?token="
                            + TestServer.ADMIN_TOKEN))) {
                publisher.awaitType("publishing");
                viewer.awaitType("viewer_connected");
                admin.awaitType("viewer_connected");
                adminPublisher.awaitType("publishing");
            }
        }
    }

    @Test
    void withoutTokensOnlyLoopbackClientsFromThisServersPagesMayConnect() throws Exception {
        try (TestServer server = TestServer.start("")) {
            try (WsClient viewer = WsClient.connect(WsClient.url(server, "/ws/watch"))) {
                viewer.awaitType("viewer_connected");
            }
            String host = "127.0.0.1:" + server.port();
            assertThat(code(server, "/ws/watch", "Host: " + host, "Origin: https://evil.example"))
                    .isEqualTo("cross_origin");
            // this server's own page passes the guard (the raw request is then no valid upgrade)
            assertThat(code(server, "/ws/publish/cam", "Host: " + host, "Origin: http://" + host))
                    .isEqualTo("bad_upgrade");
            assertThat(code(server, "/ws/watch?token=not-the-admin-token-0123")).isEqualTo("invalid_token");
            assertThatThrownBy(() -> WsClient.connect(WsClient.url(server, "/ws/publish/cam?token=nope-nope-nope-nope")))
                    .isInstanceOf(ExecutionException.class);
            assertThat(server.server().relay().streams()).isEmpty();
        }
    }
}
