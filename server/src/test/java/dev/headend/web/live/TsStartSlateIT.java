package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.FreePorts;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.SegmentOrigin;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A continuous-TS viewer who tunes in while the channel's source is down gets the slate at once,
 * on a 200, while the restart policy retries; when the source comes back the picture follows on
 * the same connection. An HLS player of the same channel still gets a 503, and a channel that
 * opts out with {@code ts_start_slate: false} answers its TS viewer with a 503 too.
 */
@NeedsFfmpeg
class TsStartSlateIT {
    @Test
    void aViewerOfAChannelThatCannotStartSeesTheSlateThenThePictureWithoutReconnecting() throws Exception {
        int port = FreePorts.any();
        String channels = """
                  - id: cam
                    name: Cam
                    source: "http://127.0.0.1:%1$d/cam.ts"
                    profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                              audio: none}
                  - id: strict
                    name: Strict
                    source: "http://127.0.0.1:%1$d/cam.ts"
                    ts_start_slate: false
                    profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                              audio: none}
                """.formatted(port);
        Process source = null;
        // a restart a second while the source is down; neither the circuit nor the global throttle holds it longer
        try (TestServer server = TestServer.start(channels, Map.of("restart_cooldown_seconds", "1",
                "breaker_failures", "1000", "restart_limit", "10000"))) {
            HttpResponse<String> strict = server.get("/live/strict.ts");
            assertThat(strict.statusCode()).as(strict.body()).isEqualTo(503);

            HttpResponse<InputStream> ts = server.client().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/live/cam.ts")).timeout(Streams.START).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(ts.statusCode()).isEqualTo(200);
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> copy(ts.body(), captured));
            try {
                await().atMost(Streams.START).until(() -> origins(captured).contains(SegmentOrigin.SLATE));
                JsonNode waiting = Streams.stream(server, "cam");
                assertThat(waiting.get("state").asText()).isEqualTo("restarting");
                assertThat(waiting.get("last_error").asText()).contains("cam.ts");
                assertThat(waiting.get("viewers").asInt()).isEqualTo(1);

                // the source comes up: a live camera-like stream, at its real rate, on the same address
                source = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                        "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5", "-c:v", "libx264", "-preset", "ultrafast",
                        "-g", "5", "-an", "-f", "mpegts", "-listen", "1", "http://127.0.0.1:" + port + "/cam.ts")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

                await().atMost(Streams.START.multipliedBy(2)).until(() -> {
                    List<SegmentOrigin> seen = origins(captured);
                    return seen.lastIndexOf(SegmentOrigin.PIPELINE) > seen.indexOf(SegmentOrigin.SLATE);
                });
                assertThat(ResponseJson.of(server.get("/api/streams/cam")).get("state").asText())
                        .isEqualTo("running");
            } finally {
                ts.body().close();
                reader.join();
            }
        } finally {
            if (source != null) {
                source.destroyForcibly().waitFor();
            }
        }
    }

    private static List<SegmentOrigin> origins(ByteArrayOutputStream captured) {
        byte[] bytes;
        synchronized (captured) {
            bytes = captured.toByteArray();
        }
        return SegmentOrigin.encodeStartsIn(bytes);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException closed) {
            // the test closed the connection
        }
    }
}
