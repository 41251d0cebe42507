package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.media.Segment;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the slate costs against the channel it stands in for, over the same number of
 * segments: the CPU time of the channel's FFmpeg while it runs normally, then the CPU time of
 * the whole server (this JVM, test included) while only the slate feeds the playlist. For the
 * second part the channel's source file is removed and its FFmpeg killed: the first restart
 * (immediate) fails, and the default 30 s cooldown keeps further attempts out of the
 * measurement (two failures stay below the breaker's five). The channel is always-on, so the
 * stream lives on without viewers. Prints both figures; asserts only that the slate costs less.
 */
class SlateCpuIT {
    /** Kernel clock ticks per second in /proc: USER_HZ, 100 for Linux's user-space ABI. */
    private static final double USER_HZ = 100;
    private static final int SEGMENTS = 5;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path work;

    @Test
    void theSlateCostsLessCpuThanTheChannelItStandsInFor() throws Exception {
        Path source = work.resolve("source.ts");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi",
                "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mpegts", source.toString());
        String channel = """
                  - id: cost
                    source: "file:%s"
                    on_demand: false
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                """.formatted(source);
        try (TestServer server = TestServer.start(channel, Map.of())) {
            Stream stream = await().atMost(BOUND).until(() -> server.server().streams().find("cost"),
                    s -> s.isPresent() && s.get().state() instanceof StreamState.Running).orElseThrow();
            long pid = stream.pid().orElseThrow();
            // past the encoder's start-up
            await().atMost(BOUND).until(() -> newest(stream) >= 2);
            Cost channelCost = measure(stream, () -> cpuTicks(pid));

            Files.move(source, work.resolve("gone.ts"));
            assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
            await().atMost(BOUND).until(() -> stream.restarts() == 2 && server.pipelinePids().isEmpty());
            assertThat(stream.nextRestartAt()).hasValueSatisfying(
                    at -> assertThat(at).isAfter(Instant.now().plus(Duration.ofSeconds(15))));
            Cost slateCost = measure(stream, () -> cpuTicks(ProcessHandle.current().pid()));
            assertThat(stream.restarts()).as("restarts during the slate measurement").isEqualTo(2);
            assertThat(stream.state()).isInstanceOf(StreamState.Restarting.class);

            System.out.printf(Locale.ROOT, "slate cost: channel FFmpeg %s; whole server while only the slate runs %s%n",
                    channelCost, slateCost);
            assertThat(slateCost.cpuSeconds()).isLessThan(channelCost.cpuSeconds());
        }
    }

    /** CPU time used over {@link #SEGMENTS} new segments, and the wall time they took. */
    private record Cost(double cpuSeconds, double wallSeconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f s CPU over %.2f s (%.1f %% of a core) for %d segments",
                    cpuSeconds, wallSeconds, 100 * cpuSeconds / wallSeconds, SEGMENTS);
        }
    }

    private static Cost measure(Stream stream, LongSupplier ticks) {
        long from = newest(stream);
        long ticksBefore = ticks.getAsLong();
        long start = System.nanoTime();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).until(() -> newest(stream) >= from + SEGMENTS);
        return new Cost((ticks.getAsLong() - ticksBefore) / USER_HZ, (System.nanoTime() - start) / 1e9);
    }

    private static long newest(Stream stream) {
        return stream.store().newestClosed().map(Segment::sequence).orElse(-1L);
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state)
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
