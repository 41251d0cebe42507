package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.channel.ThrottleMode;
import dev.headend.support.Ffprobe;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous-TS viewers in each throttle mode (one channel per mode, by the channel's own
 * {@code throttle:}), read at once for the same time: each receives a decodable stream, and the
 * realtime one about the target rate. The test channels produce well over the target (300 kbit/s
 * of video plus audio against 200 kbit/s), so an unthrottled viewer would receive far more.
 */
@NeedsFfmpeg
@Isolated("the realtime viewer is timed: a machine loaded by other tests starves its writer")
class ContinuousTsThrottleIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READ = Duration.ofSeconds(10);
    private static final long TARGET_BPS = 200_000;

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        StringBuilder channels = new StringBuilder();
        for (ThrottleMode mode : ThrottleMode.values()) {
            channels.append(TestServer.testChannel(id(mode), 300)).append("    throttle: ").append(mode.label())
                    .append('\n');
        }
        server = TestServer.start(channels.toString(), Map.of("target_bitrate_bps", Long.toString(TARGET_BPS),
                "start_timeout_seconds", Long.toString(START_TIMEOUT.toSeconds())));
    }

    @Test
    void eachModeDeliversADecodableStreamAndRealtimeKeepsToTheTargetRate(@TempDir Path dir) throws Exception {
        Map<ThrottleMode, Future<Long>> received = new EnumMap<>(ThrottleMode.class);
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ThrottleMode mode : ThrottleMode.values()) {
                received.put(mode, readers.submit(read(mode, dir.resolve(mode.label() + ".ts"))));
            }
        }

        for (ThrottleMode mode : ThrottleMode.values()) {
            System.out.printf("continuous TS, %s: %d bytes in %d s%n", mode.label(), received.get(mode).get(),
                    READ.toSeconds());
        }
        for (ThrottleMode mode : ThrottleMode.values()) {
            Path file = dir.resolve(mode.label() + ".ts");
            JsonNode probe = new ObjectMapper().readTree(Ffprobe.run("-show_entries",
                    "stream=codec_name:format=duration", "-of", "json", file.toString()));
            assertThat(probe.path("streams").findValuesAsText("codec_name")).as(mode.label()).contains("h264", "aac");
            assertThat(probe.path("format").path("duration").asDouble()).as(mode.label()).isGreaterThanOrEqualTo(2.0);
            assertThat(Ffprobe.firstVideoFrameIsKey(file)).as("%s starts at a keyframe", mode.label()).isTrue();
        }
        // a loose bound: the reader's clock runs from its first byte, the server's a little earlier
        double expected = TARGET_BPS / 8.0 * TsPacer.HEADROOM * READ.toNanos() / 1e9;
        assertThat(received.get(ThrottleMode.REALTIME).get() / expected).as("realtime bytes over the target's")
                .isBetween(0.7, 1.3);
    }

    /** A reader that opens the channel's continuous TS, checks its session, and saves what it gets for {@link #READ}. */
    private static Callable<Long> read(ThrottleMode mode, Path file) {
        return () -> {
            HttpResponse<InputStream> response = server.client().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/live/" + id(mode) + ".ts")).timeout(START_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
                assertThat(response.statusCode()).isEqualTo(200);
                long bytes = copyFor(in, out, READ);
                JsonNode session = ResponseJson.of(server.get("/api/channels/" + id(mode) + "/sessions"))
                        .path("sessions").path(0);
                assertThat(session.path("protocol").asText()).isEqualTo("ts");
                assertThat(session.path("skips").isIntegralNumber()).as("skips is in the session").isTrue();
                return bytes;
            }
        };
    }

    private static String id(ThrottleMode mode) {
        return "throttle-" + mode.label();
    }

    /** Copies {@code in} to {@code out} until {@code period} has passed since the first byte; returns the bytes. */
    private static long copyFor(InputStream in, OutputStream out, Duration period) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n = in.read(buffer);
        long total = 0;
        long end = System.nanoTime() + period.toNanos();
        while (n >= 0) {
            out.write(buffer, 0, n);
            total += n;
            if (System.nanoTime() >= end) {
                return total;
            }
            n = in.read(buffer);
        }
        return total;
    }
}
