package dev.headend.resilience;

import static dev.headend.support.Streams.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The process pool under a storm of cold starts: the spawn token bucket (a burst of
 * {@code spawns_per_second}, then that many per second, a spawn waiting at most 2 s for its
 * token) and the process cap. Refused starts answer 503 with the pool's code and start nothing.
 */
@NeedsFfmpeg
@Isolated("a storm of starts measures the spawn rate limit: nothing else may load the machine meanwhile")
class SpawnLimitIT {
    private static final int RATE = 5;
    /** Kernel clock ticks per second in /proc (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    @Test
    void hundredConcurrentColdStartsSpawnNoFasterThanTheTokenBucketAllows() throws Exception {
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> "storm-%03d".formatted(i)).toList();
        StringBuilder channels = new StringBuilder();
        ids.forEach(id -> channels.append(unwatched(id, "Storm")));
        List<Long> pids;
        List<HttpResponse<String>> answers;
        try (TestServer server = TestServer.start(channels.toString(),
                Map.of("spawns_per_second", Integer.toString(RATE), "max_processes", "100"))) {
            long burstTick;
            Process marker = new ProcessBuilder("sleep", "30").start();
            try {
                burstTick = startTick(marker.pid());
                answers = concurrently(ids.stream().map(id -> "/api/streams/" + id + "/start?wait=ready").toList(),
                        server);
            } finally {
                marker.destroy();
            }
            pids = server.pipelinePids();

            List<HttpResponse<String>> started = answers.stream().filter(r -> r.statusCode() == 200).toList();
            List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(refused).allSatisfy(r -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(errorCode(r)).isEqualTo("spawn_rate_limited");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            });
            // the bucket's burst plus what it refills within the 2 s a spawn may wait
            assertThat(started).hasSizeGreaterThanOrEqualTo(RATE + 2 * RATE);
            assertThat(pids).hasSize(started.size());
            assertThat(server.server().pool().stats().spawned()).as("refused starts spawn nothing")
                    .isEqualTo(started.size());
            assertThat(ResponseJson.of(server.get("/api/streams")).get("count").asInt()).isEqualTo(started.size());

            // beyond the burst, the (k+1)-th spawn cannot come before its token: one per 1/RATE s
            List<Long> ticks = pids.stream().map(SpawnLimitIT::startTick).sorted().toList();
            for (int k = RATE; k < ticks.size(); k++) {
                long earliest = burstTick + (k + 1 - RATE) * TICKS_PER_SECOND / RATE;
                assertThat(ticks.get(k)).as("spawn %d of %d (ticks since boot, burst began at %d): %s", k + 1,
                        ticks.size(), burstTick, ticks).isGreaterThanOrEqualTo(earliest);
            }
        }
        assertThat(pids).noneMatch(Streams::alive);
    }

    @Test
    void startsBeyondTheProcessCapAreRefusedWithProcessLimit() throws Exception {
        List<String> ids = IntStream.rangeClosed(1, 5).mapToObj(i -> "capped-" + i).toList();
        StringBuilder channels = new StringBuilder();
        ids.forEach(id -> channels.append(unwatched(id, "Capped")));
        List<Long> pids;
        try (TestServer server = TestServer.start(channels.toString(), Map.of("max_processes", "3"))) {
            List<HttpResponse<String>> answers = concurrently(
                    ids.stream().map(id -> "/api/streams/" + id + "/start?wait=ready").toList(), server);

            assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(3);
            List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(refused).hasSize(2).allSatisfy(r -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(errorCode(r)).isEqualTo("process_limit");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            });
            pids = server.pipelinePids();
            assertThat(pids).hasSize(3);
            assertThat(server.server().pool().stats().spawned()).isEqualTo(3);
            assertThat(ResponseJson.of(server.get("/api/streams")).get("count").asInt()).isEqualTo(3);
        }
        assertThat(pids).noneMatch(Streams::alive);
    }

    @Test
    void startWithoutWaitingThatThePoolRefusesIsNotReportedAsASuccess() {
        try (TestServer server = TestServer.start(unwatched("first", "Capped") + unwatched("second", "Capped"),
                Map.of("max_processes", "1"))) {
            assertThat(server.post("/api/streams/first/start").statusCode()).isEqualTo(200);
            long pid = Streams.runningPid(server, "first");

            HttpResponse<String> refused = server.post("/api/streams/second/start");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(errorCode(refused)).isEqualTo("process_limit");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.get("/api/streams/second").statusCode()).isEqualTo(404);
            assertThat(server.pipelinePids()).containsExactly(pid);
            assertThat(server.server().pool().stats().spawned()).isEqualTo(1);
        }
    }

    /** A cheap channel that keeps running for a minute without viewers, longer than the test needs it. */
    private static String unwatched(String id, String name) {
        return LiveApi.cheapChannel(id, name) + "    linger_seconds: 60\n";
    }

    /** POSTs to every path at once, each from its own virtual thread; answers in path order. */
    private static List<HttpResponse<String>> concurrently(List<String> paths, TestServer server)
            throws InterruptedException, ExecutionException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> calls = paths.stream()
                    .map(path -> threads.submit(() -> server.post(path))).toList();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
            return answers;
        }
    }

    /** When the process was started, in clock ticks since boot (field 22 of /proc/PID/stat). */
    private static long startTick(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
