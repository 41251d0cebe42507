package dev.headend.resilience;

import static dev.headend.resilience.LiveApi.health;
import static dev.headend.support.Streams.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsViewer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/channels/{id}/health for a channel that runs well and for one that is not running. */
@NeedsFfmpeg
class HealthIT {
    private static final int FPS = 25;
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("vital") + TestServer.testChannel("dormant"), Map.of());
    }

    @Test
    void runningChannelIsHealthyAtItsFrameRateAndRealTimeSpeedWithItsViewersCounted() throws Exception {
        HttpResponse<InputStream> ts = server.client().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/live/vital.ts")).timeout(START).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = Thread.ofVirtual().start(() -> drain(ts.body()));
        try (HlsViewer viewer = new HlsViewer(server, "vital", Duration.ofMillis(500))) {
            assertThat(ts.statusCode()).isEqualTo(200);
            // past the 5 s warm-up after the first segment, during which speed is not judged
            await().atMost(START).until(() -> Streams.stream(server, "vital").get("uptime").asDouble() >= 8);

            JsonNode health = health(server, "vital");

            assertThat(health.get("channel_id").asText()).isEqualTo("vital");
            assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("healthy");
            assertThat(health.get("reason").isNull()).isTrue();
            assertThat(health.get("current_fps").asDouble()).isCloseTo(FPS, within(FPS * 0.1));
            assertThat(health.get("current_speed").asDouble()).isCloseTo(1.0, within(0.1));
            assertThat(health.get("current_bitrate_kbps").asDouble()).isPositive();
            assertThat(health.get("dropped_frames").asLong()).isZero();
            assertThat(Duration.between(Instant.parse(health.get("last_segment_at").asText()), Instant.now()))
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(health.get("circuit_state").asText()).isEqualTo("closed");
            assertThat(health.get("sessions_active").asInt()).isEqualTo(2)
                    .isEqualTo(Streams.stream(server, "vital").get("viewers").asInt());
        } finally {
            ts.body().close();
            reader.join();
        }
    }

    @Test
    void channelThatIsNotRunningIsIdleAndAskingStartsNothing() {
        long spawned = server.server().pool().stats().spawned();

        JsonNode health = health(server, "dormant");

        assertThat(health.get("channel_id").asText()).isEqualTo("dormant");
        assertThat(health.get("status").asText()).isEqualTo("idle");
        assertThat(health.get("circuit_state").asText()).isEqualTo("closed");
        assertThat(health.get("current_fps").asDouble()).isZero();
        assertThat(health.get("sessions_active").asInt()).isZero();
        assertThat(health.get("last_segment_at").isNull()).isTrue();
        assertThat(server.get("/api/streams/dormant").statusCode()).isEqualTo(404);
        assertThat(server.server().pool().stats().spawned()).isEqualTo(spawned);
    }

    /** Reads a continuous-TS body until it ends or is closed. */
    private static void drain(InputStream body) {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (body.read(buffer) >= 0) {
                // a viewer that keeps up: read and discard
            }
        } catch (IOException closed) {
            // the test closed the connection
        }
    }
}
