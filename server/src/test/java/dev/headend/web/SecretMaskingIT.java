package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.headend.support.FreePorts;
import dev.headend.support.LogCapture;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Camera and IPTV credentials never leave the server: sources with a password in their user
 * info or a token in their query fail in every way FFmpeg reports (nothing listening, 404), and
 * no answer a viewer or operator gets, nor any log line, shows the secret.
 */
@NeedsFfmpeg
class SecretMaskingIT {
    private static final List<String> SECRETS = List.of("S3cretPass", "Http%40Secret", "Http@Secret", "T0kenValue9",
            "K3yValue");

    private static HttpServer missing;
    private static TestServer server;
    private static LogCapture log;

    @BeforeAll
    static void start() throws IOException {
        missing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        missing.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        missing.start();
        int closed = FreePorts.any();
        int http = missing.getAddress().getPort();
        log = new LogCapture();
        server = TestServer.start("""
                  - id: camera
                    source: "rtsp://admin:S3cretPass@127.0.0.1:%d/stream"
                  - id: iptv
                    source: "http://viewer:Http%%40Secret@127.0.0.1:%d/missing.ts"
                  - id: tokened
                    source: "http://127.0.0.1:%d/live.ts?user=me&token=T0kenValue9&api_key=K3yValue"
                """.formatted(closed, http, http),
                // a TS viewer gets the 503 too (by default it would get the slate), so every error body is checked
                Map.of("start_timeout_seconds", "10", "ts_start_slate", "false"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (log != null) {
            log.close();
        }
        if (missing != null) {
            missing.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"camera", "iptv", "tokened"})
    void aFailingSourceWithCredentialsShowsThemNowhere(String id) {
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(server.get("/live/" + id + "/index.m3u8"));
        answers.add(server.get("/live/" + id + ".ts"));
        answers.add(server.post("/api/streams/" + id + "/start?wait=ready"));
        answers.add(server.post("/api/streams/" + id + "/start"));
        await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/api/channels/" + id + "/health").body()
                .contains("\"status\":\"failed\""));
        answers.add(server.get("/api/channels/" + id));
        answers.add(server.get("/api/channels/" + id + "/health"));
        answers.add(server.get("/api/channels"));
        answers.add(server.get("/api/streams/" + id));
        answers.add(server.get("/api/streams"));
        answers.add(server.get("/metrics"));

        assertThat(answers.get(0).statusCode()).isEqualTo(503);
        assertThat(answers.get(1).statusCode()).isEqualTo(503);
        assertThat(answers.get(2).statusCode()).isEqualTo(503);
        String operatorView = answers.get(2).body() + answers.get(4).body() + answers.get(5).body();
        assertThat(operatorView).as("the operator still learns the reason, masked")
                .containsAnyOf("Connection refused", "404", "Not Found").contains("***");
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.body()).as("%s", answer.uri()).doesNotContain(SECRETS);
            assertThat(answer.headers().map().toString()).as("%s headers", answer.uri()).doesNotContain(SECRETS);
        }
        assertThat(log.text()).as("the log").contains("channel " + id).doesNotContain(SECRETS);
    }
}
