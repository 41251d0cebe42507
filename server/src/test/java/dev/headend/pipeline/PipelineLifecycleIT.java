package dev.headend.pipeline;

import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.alive;
import static dev.headend.support.Streams.awaitReplacementPid;
import static dev.headend.support.Streams.errorCode;
import static dev.headend.support.Streams.runningPid;
import static dev.headend.support.Streams.stream;
import static dev.headend.support.TestServer.testChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsPoller;
import dev.headend.support.HlsViewer;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.SegmentOrigin;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The life of FFmpeg pipelines against a real server: crashes, restarts, idle stops, stalls,
 * orphans and shutdown. Each test uses its own channel of one shared server (HLS sessions idle
 * after 2 s, a 6-segment window so a test player that a loaded machine holds up for a few
 * seconds still sees every segment, no periodic sweep so only the cleanup endpoint sweeps).
 */
@NeedsFfmpeg
class PipelineLifecycleIT {
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(testChannel("crash", 10) + testChannel("continuity", 10)
                + testChannel("unwatched", 10) + testChannel("idle", 1) + testChannel("ts", 1)
                + testChannel("stall", 10),
                Map.of("session_idle_seconds", "2", "window_segments", "6", "sweep_interval_seconds", "3600"));
    }

    @AfterEach
    void stopEveryStream() {
        server.stopAllStreams();
    }

    @Test
    void killedFfmpegIsNoticedAndReplaced() throws Exception {
        try (HlsViewer viewer = new HlsViewer(server, "crash", Duration.ofMillis(250))) {
            long pid = runningPid(server, "crash");

            assertThat(signal("KILL", pid)).isTrue();

            // how fast it is noticed (well under a second on an idle machine) is the benchmark's to measure
            // (Recovery); the bound here only has to hold on a loaded 2-core machine
            await().atMost(START).pollInterval(Duration.ofMillis(20))
                    .until(() -> stream(server, "crash").get("restarts").asInt() == 1);
            long replacement = awaitReplacementPid(server, "crash", pid, START);
            assertThat(alive(pid)).isFalse();
            assertThat(server.pipelinePids()).containsExactly(replacement);
            JsonNode after = stream(server, "crash");
            assertThat(after.get("restarts").asInt()).isEqualTo(1);
            assertThat(after.get("viewers").asInt()).isEqualTo(1);
            assertThat(viewer.playlist().segments()).isNotEmpty();
        }
    }

    @Test
    void restartKeepsThePlaylistContinuousWithSlateBetweenDiscontinuities() throws Exception {
        try (HlsPoller viewer = HlsPoller.open(server, "continuity", Duration.ofMillis(250))) {
            await().atMost(START).until(() -> viewer.segments().size() >= 5);
            Streams.awaitSlateReady(server, "continuity");
            assertThat(viewer.discontinuities()).isEmpty();

            long killed = runningPid(server, "continuity");

            assertThat(signal("KILL", killed)).isTrue();

            awaitReplacementPid(server, "continuity", killed, START);
            viewer.poll();
            List<Long> switches = viewer.discontinuities();
            assertThat(switches).as("pipeline -> slate -> new pipeline").hasSize(2);
            long lastSwitch = switches.getLast();
            LivePlaylist later = await().atMost(START).until(() -> viewer.poll().orElseThrow(),
                    p -> p.mediaSequence() > lastSwitch);
            assertThat(viewer.errors()).isEmpty();
            assertThat(viewer.producers()).containsExactly(SegmentOrigin.PIPELINE, SegmentOrigin.SLATE,
                    SegmentOrigin.PIPELINE);
            viewer.assertSequenceNeverWentBack();
            viewer.assertDiscontinuitySequenceCountsTagsThatLeftTheWindow();
            assertThat(later.discontinuitySequence()).isEqualTo(2);
            assertThat(later.segments()).noneMatch(LivePlaylist.Entry::discontinuity);
        }
    }

    @Test
    void killedFfmpegWithoutViewersRemovesTheStream() throws Exception {
        assertThat(server.post("/api/streams/unwatched/start?wait=ready").statusCode()).isEqualTo(200);
        long pid = runningPid(server, "unwatched");
        assertThat(stream(server, "unwatched").get("viewers").asInt()).isZero();

        assertThat(signal("KILL", pid)).isTrue();

        await().atMost(START).until(() -> server.get("/api/streams/unwatched").statusCode() == 404);
        assertThat(errorCode(server.get("/api/streams/unwatched"))).isEqualTo("stream_not_found");
        await().atMost(START).until(() -> !alive(pid));
        assertThat(server.pipelinePids()).isEmpty();
        assertThat(ResponseJson.of(server.get("/api/streams")).get("count").asInt()).isZero();
    }

    @Test
    void idleHlsSessionStopsTheStreamAfterIdleTimePlusLinger() {
        // a player tries again after a spawn-rate refusal (earlier tests' restarts and slate runs use tokens too)
        HttpResponse<String> opened = await().atMost(START).until(() -> server.get("/live/idle/index.m3u8"),
                r -> !r.body().contains("\"spawn_rate_limited\""));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        long pid = runningPid(server, "idle");

        long lastRequest = System.nanoTime();
        assertThat(server.send(HttpRequest.newBuilder(opened.uri()).GET()).statusCode()).isEqualTo(200);
        JsonNode watched = stream(server, "idle");
        assertThat(watched.get("state").asText()).isEqualTo("running");
        assertThat(watched.get("viewers").asInt()).isEqualTo(1);

        AtomicLong lastSeenRunning = new AtomicLong(lastRequest);
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            HttpResponse<String> r = server.get("/api/streams/idle");
            if (r.statusCode() == 200 && ResponseJson.of(r).path("state").asText().equals("running")) {
                lastSeenRunning.set(System.nanoTime());
            }
            return r.statusCode() == 404;
        });
        // the session expires 2 s after its last request, the stream 1 s (linger) after that
        assertThat(Duration.ofNanos(lastSeenRunning.get() - lastRequest)).as("still running after the last request")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - lastRequest)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        await().atMost(START).until(() -> !alive(pid));
        assertThat(server.pipelinePids()).isEmpty();
    }

    @Test
    void continuousTsSessionEndsWhenItsConnectionCloses() throws Exception {
        HttpResponse<InputStream> response = server.client().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/live/ts.ts")).timeout(START).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long pid;
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
            byte[] packets = body.readNBytes(188 * 100);
            assertThat(packets).hasSize(188 * 100);
            assertThat(IntStream.range(0, 100).map(i -> packets[i * 188])).containsOnly(0x47);
            pid = runningPid(server, "ts");
            assertThat(stream(server, "ts").get("viewers").asInt()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> stream(server, "ts").get("viewers").asInt() == 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> server.get("/api/streams/ts").statusCode() == 404);
        await().atMost(START).until(() -> !alive(pid));
        assertThat(server.pipelinePids()).isEmpty();
    }

    /**
     * The periodic health check (every 500 ms) kills a pipeline that made no segment for three
     * target durations, without waiting for a cleanup; the cleanup sweep, which only judges runs
     * that never produced, finds nothing left to do.
     */
    @Test
    void aStalledPipelineIsKilledAndRestartedWithoutWaitingForCleanup() throws Exception {
        try (HlsViewer viewer = new HlsViewer(server, "stall", Duration.ofMillis(250))) {
            long frozen = runningPid(server, "stall");
            try {
                long newest = viewer.playlist().segments().getLast().sequence();

                assertThat(signal("STOP", frozen)).isTrue();

                // three target durations (1 s each) after the last segment, which closed at most one before the stop
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> alive(frozen));
                await().atMost(Duration.ofSeconds(10)).until(() -> !alive(frozen));
                long replacement = awaitReplacementPid(server, "stall", frozen, START);
                assertThat(server.pipelinePids()).containsExactly(replacement);
                assertThat(stream(server, "stall").get("restarts").asInt()).isEqualTo(1);
                assertThat(viewer.playlist().segments().getLast().sequence()).isGreaterThan(newest);
                JsonNode cleanup = ResponseJson.of(server.post("/api/streams/cleanup"));
                assertThat(cleanup.get("success").asBoolean()).isTrue();
                assertThat(cleanup.get("cleaned_up").asInt()).isZero();
                assertThat(server.pipelinePids()).containsExactly(replacement);
            } finally {
                if (alive(frozen)) {
                    signal("CONT", frozen);
                    signal("KILL", frozen);
                }
            }
        }
    }

    @Test
    void startUpReapsOrphanedPipelinesOfItsOwnDataDirectoryOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("headend-orphans").resolve("data").toAbsolutePath().normalize();
        Process orphan = PoolFixture.markedSleep(dataDir.toString());
        Process foreign = PoolFixture.markedSleep(dataDir + "-other");
        try {
            assertThat(OrphanReaper.find(dataDir.toString())).containsExactly(orphan.pid());

            try (TestServer restarted = TestServer.start(testChannel("orphans"),
                    Map.of("data_dir", dataDir.toString()))) {
                assertThat(restarted.server().orphansReaped()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(5)).until(() -> !orphan.isAlive());
                assertThat(foreign.isAlive()).isTrue();
                assertThat(restarted.processPids()).isEmpty();
            }
        } finally {
            orphan.destroyForcibly();
            foreign.destroyForcibly();
        }
    }

    @Test
    void noPipelineOutlivesServerShutdown() {
        List<String> ids = List.of("one", "two", "three");
        TestServer shortLived = TestServer.start(testChannel("one", 300) + testChannel("two", 300)
                + testChannel("three", 300));
        try {
            List<Long> pids = new ArrayList<>();
            for (String id : ids) {
                assertThat(shortLived.post("/api/streams/" + id + "/start?wait=ready").statusCode()).isEqualTo(200);
                pids.add(runningPid(shortLived, id));
            }
            assertThat(shortLived.pipelinePids()).containsExactlyInAnyOrderElementsOf(pids);

            shortLived.close();

            assertThat(shortLived.processPids()).as("no pipeline nor tool run").isEmpty();
            assertThat(pids).noneMatch(Streams::alive);
        } finally {
            shortLived.close();
        }
    }

    /** Sends a signal with the system kill command; true when it was delivered. */
    private static boolean signal(String name, long pid) throws IOException, InterruptedException {
        return ToolRun.of("kill", "-" + name, Long.toString(pid)).exitCode() == 0;
    }
}
