package dev.headend.stream;

import static dev.headend.support.SegmentOrigin.PIPELINE;
import static dev.headend.support.SegmentOrigin.SLATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsPoller;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.SegmentOrigin;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos test: one channel, watched by an HLS player and a continuous-TS reader, has its
 * FFmpeg killed with SIGKILL again and again. Viewers must never get an error: the playlist
 * stays continuous, the slate fills every gap behind a discontinuity, the TS connection stays
 * open and its capture decodes from end to end. The restart cooldown is off so the test stays
 * short (the cooldown is the restart policy's business, tested on its own). Prints the
 * figures for the issue note: time from each kill to the slate and back to the channel.
 */
@NeedsFfmpeg
class ChaosIT {
    private static final int KILLS = 4;
    private static final double SEGMENT_SECONDS = 1;
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Duration FINE = Duration.ofMillis(20);

    @TempDir
    Path work;

    @Test
    void viewersSeeTheSlateAndNoErrorWhileFfmpegIsKilledAgainAndAgain() throws Exception {
        try (TestServer server = TestServer.start(TestServer.testChannel("chaos"),
                Map.of("restart_cooldown_seconds", "0"));
                HlsPoller hls = HlsPoller.open(server, "chaos", Duration.ofMillis(300));
                TsCapture ts = TsCapture.open(server, "chaos", work.resolve("capture.ts"))) {
            List<Duration> toSlate = new ArrayList<>();
            List<Duration> toChannel = new ArrayList<>();
            await().atMost(BOUND).until(() -> hls.segments().size() >= 6);
            Streams.awaitSlateReady(server, "chaos");
            long previousPid = -1;
            for (int kill = 1; kill <= KILLS; kill++) {
                long pid = Streams.awaitReplacementPid(server, "chaos", previousPid, BOUND);
                long newest = hls.poll().orElseThrow().segments().getLast().sequence();

                assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
                long killedAt = System.nanoTime();

                long slate = await().atMost(BOUND).pollInterval(FINE)
                        .until(() -> discontinuityAfter(hls, newest), Optional::isPresent).orElseThrow();
                toSlate.add(Duration.ofNanos(System.nanoTime() - killedAt));
                assertThat(hls.segments().get(slate).encodeStart()).as("segment %d, after kill %d", slate, kill)
                        .hasValue(SLATE);
                long channel = await().atMost(BOUND).pollInterval(FINE)
                        .until(() -> discontinuityAfter(hls, slate), Optional::isPresent).orElseThrow();
                toChannel.add(Duration.ofNanos(System.nanoTime() - killedAt));
                assertThat(hls.segments().get(channel).encodeStart()).as("segment %d, after kill %d", channel, kill)
                        .hasValue(PIPELINE);
                await().atMost(BOUND).until(() -> hls.segments().lastKey() >= channel + 2);
                previousPid = pid;
            }
            // both viewers leave, so what they saw is complete before it is judged
            hls.close();
            ts.close();

            System.out.printf(Locale.ROOT, "chaos: %d SIGKILLs; kill -> first slate segment listed: %s (median %d ms);"
                    + " kill -> first channel segment listed again: %s (median %d ms); HLS viewer errors: %d%n",
                    KILLS, millis(toSlate), median(toSlate), millis(toChannel), median(toChannel),
                    hls.errors().size());
            assertThat(hls.errors()).isEmpty();
            hls.assertSequenceNeverWentBack();
            hls.assertDiscontinuitySequenceCountsTagsThatLeftTheWindow();
            assertThat(hls.producers()).containsExactlyElementsOf(alternating(KILLS));
            JsonNode stream = ResponseJson.of(server.get("/api/streams/chaos"));
            assertThat(stream.path("restarts").asInt()).isEqualTo(KILLS);
            assertThat(stream.path("state").asText()).isEqualTo("running");

            assertThat(ts.endedEarly()).as("the TS connection ended before the reader closed it").isEmpty();
            assertCaptureDecodes(ts);
        }
    }

    /**
     * The capture plays from end to end: FFmpeg decodes it, and ffprobe's duration matches the
     * time captured. The media may run ahead of the wall clock by the segment the reader
     * started in and, per kill, by one slate segment and the restarted run's first segment
     * (half a segment: keyframes are forced at half a segment so a start answers fast), each
     * appended whole, at once.
     */
    private static void assertCaptureDecodes(TsCapture ts) throws IOException, InterruptedException {
        ToolRun probe = ToolRun.of("ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", ts.file().toString());
        ToolRun decode = ToolRun.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", ts.file().toString(),
                "-f", "null", "-");
        System.out.printf(Locale.ROOT, "chaos: TS capture %d bytes over %.2f s wall; ffprobe duration %s; ffprobe"
                        + " stderr: [%s]; ffmpeg decode exit %d, stderr: [%s]%n", Files.size(ts.file()),
                ts.capturedSeconds(), probe.stdout().strip(), oneLine(probe.stderr()), decode.exitCode(),
                oneLine(decode.stderr()));
        assertThat(decode.exitCode()).as(decode.stderr()).isZero();
        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        double wall = ts.capturedSeconds();
        assertThat(Double.parseDouble(probe.stdout().strip())).as("ffprobe duration of the TS capture")
                .isBetween(wall - SEGMENT_SECONDS, wall + (1 + 1.5 * KILLS) * SEGMENT_SECONDS);
    }

    /** The first listed segment after {@code sequence} that carries a discontinuity (reloading the playlist now). */
    private static Optional<Long> discontinuityAfter(HlsPoller hls, long sequence) {
        return hls.poll().flatMap(p -> p.segments().stream()
                .filter(e -> e.sequence() > sequence && e.discontinuity())
                .map(LivePlaylist.Entry::sequence)
                .findFirst());
    }

    /** The channel's pipeline, then the slate and the channel again after each kill. */
    private static List<SegmentOrigin> alternating(int kills) {
        return IntStream.rangeClosed(0, 2 * kills).mapToObj(i -> i % 2 == 0 ? PIPELINE : SLATE).toList();
    }

    private static String oneLine(String text) {
        return text.strip().replace("\n", " | ");
    }

    private static List<Long> millis(List<Duration> durations) {
        return durations.stream().map(Duration::toMillis).toList();
    }

    private static long median(List<Duration> durations) {
        List<Long> sorted = new ArrayList<>(millis(durations));
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * A continuous-TS viewer: one connection to {@code /live/{id}.ts}, read on a virtual thread
     * into a file until closed. Remembers whether the server ended the stream first.
     */
    private static final class TsCapture implements AutoCloseable {
        private final InputStream body;
        private final Path file;
        private final Thread reader;
        private volatile boolean closing;
        private volatile long firstByteNanos;
        private volatile long lastByteNanos;
        private volatile String endedEarly;

        private TsCapture(InputStream body, Path file) {
            this.body = body;
            this.file = file;
            this.reader = Thread.ofVirtual().name("ts-capture").start(this::read);
        }

        static TsCapture open(TestServer server, String channelId, Path file) throws IOException,
                InterruptedException {
            HttpResponse<InputStream> response = server.client().send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/live/" + channelId + ".ts")).timeout(BOUND).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            return new TsCapture(response.body(), file);
        }

        private void read() {
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                while (!closing) {
                    int n = body.read(buffer);
                    if (n < 0) {
                        endedEarly = closing ? null : "end of stream";
                        return;
                    }
                    long now = System.nanoTime();
                    if (firstByteNanos == 0) {
                        firstByteNanos = now;
                    }
                    out.write(buffer, 0, n);
                    lastByteNanos = now;
                }
            } catch (IOException e) {
                endedEarly = closing ? null : e.toString();
            }
        }

        Path file() {
            return file;
        }

        double capturedSeconds() {
            return firstByteNanos == 0 ? 0 : (lastByteNanos - firstByteNanos) / 1e9;
        }

        Optional<String> endedEarly() {
            return Optional.ofNullable(endedEarly);
        }

        /** Stops reading (the stream keeps flowing, so the reader notices within a read), then disconnects. */
        @Override
        public void close() throws IOException, InterruptedException {
            closing = true;
            boolean stopped = reader.join(Duration.ofSeconds(10));
            body.close();
            assertThat(stopped || reader.join(Duration.ofSeconds(10))).as("TS reader stopped").isTrue();
        }
    }
}
