package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.security.FailedAttempts;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: every admin route wants the admin token (and refuses a missing or wrong one
 * without doing anything), an address that keeps guessing is blocked, cross-origin pages cannot
 * control the server, and a forged {@code Host} header never comes back in a URL.
 */
@NeedsFfmpeg
class AccessIT {
    /** Every admin route, with a channel that exists. */
    private static final List<List<String>> ADMIN_ROUTES = List.of(
            List.of("GET", "/api/streams"), List.of("GET", "/api/streams/ok"),
            List.of("POST", "/api/streams/ok/start"), List.of("POST", "/api/streams/ok/stop"),
            List.of("POST", "/api/streams/ok/restart"), List.of("POST", "/api/streams/start"),
            List.of("POST", "/api/streams/stop"), List.of("POST", "/api/streams/cleanup"),
            List.of("GET", "/api/channels"), List.of("POST", "/api/channels"), List.of("GET", "/api/channels/ok"),
            List.of("PUT", "/api/channels/ok"), List.of("DELETE", "/api/channels/ok"),
            List.of("GET", "/api/channels/ok/health"), List.of("POST", "/api/channels/ok/signed-url"),
            List.of("POST", "/api/channels/import"),
            List.of("POST", "/api/config/reload"), List.of("GET", "/api/system"), List.of("GET", "/metrics"));

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("ok", 300));
    }

    @Test
    void everyAdminRouteRefusesAMissingOrWrongTokenAndDoesNothing() {
        for (List<String> route : ADMIN_ROUTES) {
            String method = route.get(0);
            String path = route.get(1);
            List<String> before = running();
            HttpResponse<String> none = server.anonymous(request(method, path));
            HttpResponse<String> wrong = server.anonymous(request(method, path)
                    .header("Authorization", "Bearer not-the-admin-token-at-all"));
            HttpResponse<String> basic = server.anonymous(request(method, path)
                    .header("Authorization", "Basic " + TestServer.ADMIN_TOKEN));

            assertError(none, 401, "unauthorized", method + " " + path);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"headend\"");
            assertError(wrong, 401, "invalid_token", method + " " + path);
            assertThat(wrong.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"headend\", error=\"invalid_token\"");
            assertError(basic, 401, "unauthorized", method + " " + path);
            assertThat(running()).as("nothing started or stopped by %s %s", method, path).isEqualTo(before);

            HttpResponse<String> right = server.anonymous(request(method, path)
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN));
            assertThat(right.statusCode()).as("%s %s: %s", method, path, right.body()).isNotIn(401, 403, 429);
            server.stopAllStreams();
        }
    }

    @Test
    void aRefusalAnsweredBeforeTheBodyArrivedClosesTheConnectionAndSaysSo() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            List<String> before = running();
            // the headers promise a body that is never sent: the refusal cannot read it
            send(socket, "POST /api/streams/ok/start HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n");

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 401 ").containsIgnoringCase("\r\nConnection: close\r\n");
            assertThat(running()).isEqualTo(before);
        }
    }

    @Test
    void aRefusalOfARequestWhoseBodyArrivedKeepsTheConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String body = "{\"stream_id\": \"ok\"}";
            send(socket, "POST /api/streams/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            String refusal = readOneAnswer(socket);
            send(socket, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String next = readOneAnswer(socket);

            assertThat(refusal).startsWith("HTTP/1.1 401 ").doesNotContainIgnoringCase("Connection: close");
            assertThat(next).as("the next request on the same connection").startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void signedUrlsNeedAPlaybackSecret() {
        HttpResponse<String> r = server.post("/api/channels/ok/signed-url");

        assertError(r, 409, "playback_not_protected", "signed-url without playback_secret");
    }

    @Test
    void healthAndTheDashboardStayOpen() {
        assertThat(server.anonymous(request("GET", "/healthz")).statusCode()).isEqualTo(200);
        assertThat(server.anonymous(request("GET", "/")).statusCode()).isEqualTo(200);
        assertThat(server.anonymous(request("GET", "/web/app.js")).statusCode()).isEqualTo(200);
    }

    @Test
    void aCrossOriginFormPostCannotStopAChannel() {
        server.post("/api/streams/ok/start?wait=ready");
        try {
            HttpResponse<String> forged = server.anonymous(HttpRequest.newBuilder(URI.create(server.url()
                            + "/api/streams/ok/stop"))
                    .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream_id\":\"ok\"}")));

            assertError(forged, 401, "unauthorized", "cross-origin stop");
            assertThat(forged.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(server.server().streams().find("ok")).as("still running").isPresent();
        } finally {
            server.stopAllStreams();
        }
    }

    @Test
    void aForgedHostHeaderNeverComesBackInAUrl() {
        int port = server.port();
        JsonNode forged = ResponseJson.of(rawGet("/api/channels/ok", "evil.example"));
        JsonNode forgedPort = ResponseJson.of(rawGet("/api/channels/ok", "127.0.0.1:1"));
        JsonNode local = ResponseJson.of(rawGet("/api/channels/ok", "localhost:" + port));

        assertThat(forged.path("playlist_url").asText()).isEqualTo(server.url() + "/live/ok/index.m3u8");
        assertThat(forged.path("ts_url").asText()).isEqualTo(server.url() + "/live/ok.ts");
        assertThat(forgedPort.path("playlist_url").asText()).isEqualTo(server.url() + "/live/ok/index.m3u8");
        assertThat(local.path("playlist_url").asText())
                .as("a loopback name on a loopback connection is the server's own")
                .isEqualTo("http://localhost:" + port + "/live/ok/index.m3u8");
    }

    @Test
    void publicUrlIsTheBaseOfEveryPlaybackUrl() {
        try (TestServer proxied = TestServer.start(TestServer.testChannel("ok"),
                Map.of("public_url", "https://tv.example.com/"))) {
            JsonNode channel = ResponseJson.of(proxied.get("/api/channels/ok"));

            assertThat(channel.path("playlist_url").asText()).isEqualTo("https://tv.example.com/live/ok/index.m3u8");
            assertThat(channel.path("ts_url").asText()).isEqualTo("https://tv.example.com/live/ok.ts");
        }
    }

    @Test
    void anAddressThatKeepsGuessingIsBlockedEvenWithTheRightToken() {
        try (TestServer guarded = TestServer.start(TestServer.testChannel("ok"))) {
            for (int i = 0; i < FailedAttempts.LIMIT; i++) {
                HttpResponse<String> guess = guarded.anonymous(request(guarded, "GET", "/api/streams")
                        .header("Authorization", "Bearer guess-number-" + i + "-of-many"));
                assertError(guess, 401, "invalid_token", "guess " + i);
            }
            HttpResponse<String> blocked = guarded.get("/api/streams");

            assertError(blocked, 429, "too_many_failures", "after " + FailedAttempts.LIMIT + " guesses");
            assertThat(blocked.headers().firstValue("Retry-After")).hasValueSatisfying(
                    s -> assertThat(Integer.parseInt(s)).isBetween(1, 61));
            assertThat(guarded.anonymous(request(guarded, "GET", "/healthz")).statusCode()).isEqualTo(200);
            assertThat(guarded.get("/live/ok/index.m3u8").statusCode()).as("viewing is not blocked").isEqualTo(200);
        }
    }

    @Test
    void metricsCanBeOpenedOnPurpose() {
        try (TestServer open = TestServer.start(TestServer.testChannel("ok"), Map.of("metrics_public", "true"))) {
            assertThat(open.anonymous(request(open, "GET", "/metrics")).statusCode()).isEqualTo(200);
            assertThat(open.anonymous(request(open, "GET", "/api/system")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void withoutAConfiguredTokenOneIsGeneratedReadableOnlyByTheServersUser() throws IOException {
        try (TestServer generated = TestServer.start(TestServer.testChannel("ok"), Map.of("admin_token", ""))) {
            Path file = generated.dataDir().resolve("admin-token");
            String token = Files.readString(file).strip();

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(generated.server().adminToken().generated()).isTrue();
            assertThat(generated.anonymous(request(generated, "GET", "/api/system")
                    .header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
            assertThat(generated.anonymous(request(generated, "GET", "/api/system")
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)).statusCode()).isEqualTo(401);
        }
    }

    private static List<String> running() {
        return server.server().streams().all().stream().map(s -> s.id() + ":" + s.state().name()).sorted().toList();
    }

    private static HttpRequest.Builder request(String method, String path) {
        return request(server, method, path);
    }

    private static HttpRequest.Builder request(TestServer target, String method, String path) {
        HttpRequest.BodyPublisher body = path.equals("/api/streams/start") || path.equals("/api/streams/stop")
                ? HttpRequest.BodyPublishers.ofString("{\"stream_id\": \"ok\"}")
                : HttpRequest.BodyPublishers.noBody();
        return HttpRequest.newBuilder(URI.create(target.url() + path)).method(method, body);
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String what) {
        assertThat(r.statusCode()).as("%s: %s", what, r.body()).isEqualTo(status);
        assertThat(ResponseJson.of(r).path("error").path("code").asText()).as(what).isEqualTo(code);
        assertThat(ResponseJson.of(r).path("error").path("message").asText()).as(what).isNotBlank();
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** One answer read from a kept-alive connection: its head, then as many body bytes as it says. */
    private static String readOneAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("connection closed after %s", head).isNotNegative();
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
    }

    /** A GET with a chosen Host header, which the JDK client will not send. */
    private static String rawGet(String path, String host) {
        TestServer.RawResponse r = server.sendRaw("GET", path, "Host: " + host);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
