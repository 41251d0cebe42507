package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.SegmentOrigin;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A continuous-TS viewer who tunes in while the channel's source is down gets the slate at once,
 * on a 200, while the restart policy retries; when the source comes back the picture follows on
 * the same connection. An HLS player of the same channel still gets a 503, and a channel that
 * opts out with {@code ts_start_slate: false} answers its TS viewer with a 503 too.
 */
@NeedsFfmpeg
class TsStartSlateIT {
    @TempDir
    Path dir;

    @Test
    void aViewerOfAChannelThatCannotStartSeesTheSlateThenThePictureWithoutReconnecting() throws Exception {
        Path clip = dir.resolve("clip.ts");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=64x64:rate=5", "-t", "120", "-c:v", "libx264", "-preset", "ultrafast",
                "-g", "5", "-an", "-f", "mpegts", clip.toString());
        byte[] media = Files.readAllBytes(clip);
        AtomicBoolean up = new AtomicBoolean();
        HttpServer source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/cam.ts", exchange -> {
            if (!up.get()) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, media.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(media);
            } catch (IOException gone) {
                // the pipeline stopped reading
            }
        });
        source.start();
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
                """.formatted(source.getAddress().getPort());
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
                assertThat(waiting.get("last_error").asText()).contains("404");
                assertThat(waiting.get("viewers").asInt()).isEqualTo(1);
                HttpResponse<String> hls = server.get("/live/cam/index.m3u8?s=" + "x".repeat(43));
                assertThat(hls.statusCode()).as("an HLS player: %s", hls.body()).isIn(404, 503);

                up.set(true);

                await().atMost(Streams.START.multipliedBy(2)).until(() -> {
                    List<SegmentOrigin> seen = origins(captured);
                    return seen.indexOf(SegmentOrigin.PIPELINE) > seen.indexOf(SegmentOrigin.SLATE);
                });
                assertThat(ResponseJson.of(server.get("/api/streams/cam")).get("state").asText())
                        .isEqualTo("running");
            } finally {
                ts.body().close();
                reader.join();
            }
        } finally {
            source.stop(0);
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
