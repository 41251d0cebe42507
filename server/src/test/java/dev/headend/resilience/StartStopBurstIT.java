package dev.headend.resilience;

import static dev.headend.resilience.LiveApi.health;
import static dev.headend.support.Streams.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.pipeline.ByteSink;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Bursts of concurrent start and stop calls on one channel, with the spawn rate limiter's
 * default settings (a burst of 5 spawns, then 5 per second, a spawn waiting at most 2 s for its
 * token), while other spawns keep the limiter saturated (a busy server: the pool and its tokens
 * are shared by every channel). The limiter refuses many of the channel's spawns; those refusals
 * are not failures of the channel, so its circuit breaker stays closed, the channel plays
 * afterwards, and so does a channel relaying its HLS output. No process outlives the server.
 */
@NeedsFfmpeg
@Isolated("bursts of spawns against the default spawn rate limit: nothing else may load the machine meanwhile")
class StartStopBurstIT {
    private static final int CALLS = 100;
    private static final int ROUNDS = 2;
    /** Twice the limiter's default rate: the other spawns take every token the limiter grants. */
    private static final Duration LOAD_PERIOD = Duration.ofMillis(100);
    /** Breaker failures that opened the circuit before rate-limit refusals stopped counting. */
    private static final int BREAKER_FAILURES = 5;
    /** The 503 codes a start may answer while stops and refused spawns race it; never circuit_open. */
    private static final List<String> EXPECTED_REFUSALS = List.of("spawn_rate_limited", "stream_stopped");

    @Test
    void twoBurstsOfConcurrentStartsAndStopsLeaveTheChannelAndItsRelayPlaying() throws Exception {
        TestServer server = TestServer.start(channels(""));
        try (server) {
            server.rewriteChannels(channels(relay(server.url())));
            HttpResponse<String> reload = server.post("/api/config/reload");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);

            long refusedToTheChannel = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                List<HttpResponse<String>> answers;
                long refused;
                try (SpawnLoad load = new SpawnLoad(server)) {
                    await().atMost(Streams.START).until(() -> load.refused() > 0);
                    long refusedBefore = server.server().pool().refused("spawn_rate_limited");
                    answers = burst(server);
                    refused = server.server().pool().refused("spawn_rate_limited") - refusedBefore;
                    refused -= load.refused();
                }
                refusedToTheChannel += refused;

                assertThat(answers).as("round %d", round).allSatisfy(r -> {
                    if (r.statusCode() == 200 && r.request().uri().getQuery() != null) {
                        assertThat(ResponseJson.of(r).get("state").asText()).as("answered ready")
                                .isEqualTo("running");
                    } else if (r.statusCode() != 200) {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(errorCode(r)).as(r.body()).isIn(EXPECTED_REFUSALS);
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    }
                });
                assertThat(health(server, "burst").get("circuit_state").asText()).as("round %d", round)
                        .isEqualTo("closed");
            }
            assertThat(refusedToTheChannel).as("spawns of the channel the limiter refused")
                    .isGreaterThanOrEqualTo(BREAKER_FAILURES);

            assertPlays(server, "burst");
            assertPlays(server, "relay");
            assertThat(health(server, "burst").get("circuit_state").asText()).isEqualTo("closed");
            assertThat(health(server, "relay").get("circuit_state").asText()).isEqualTo("closed");
            // a pipeline whose stream was stopped before it started is stopped in the background
            await().atMost(Streams.START).untilAsserted(() -> {
                assertThat(server.pipelinePids()).as("one pipeline per channel").hasSize(2);
                assertThat(server.server().pool().running()).isEqualTo(2);
            });
        }
        assertThat(server.processPids()).as("processes left after the server stopped").isEmpty();
    }

    /** The channel's playlist opens (starting it if needed) and its first listed segment is served. */
    private static void assertPlays(TestServer server, String id) {
        HttpResponse<String> playlist = server.openSession(id);
        URI at = playlist.uri();
        LivePlaylist.Entry first = await().atMost(Streams.START)
                .until(() -> LivePlaylist.parse(server.get(at.getRawPath() + "?" + at.getRawQuery()).body()),
                        p -> !p.segments().isEmpty())
                .segments().getFirst();
        HttpResponse<byte[]> segment = server.getBytes(at.resolve(first.uri()).toString());
        assertThat(segment.statusCode()).as("segment %s of %s", first.uri(), id).isEqualTo(200);
        assertThat(segment.body()).isNotEmpty();
    }

    /**
     * {@value #CALLS} calls at once, each from its own virtual thread: starts, starts that wait
     * for the first segment, and stops, interleaved; answers in call order. The client's
     * connections are opened beforehand, so that the calls reach the server together.
     */
    private static List<HttpResponse<String>> burst(TestServer server) throws Exception {
        concurrently(IntStream.range(0, CALLS).mapToObj(i -> (Callable<HttpResponse<String>>)
                () -> server.get("/healthz")).toList());
        return concurrently(IntStream.range(0, CALLS).mapToObj(i -> (Callable<HttpResponse<String>>) () -> server.post(
                switch (i % 4) {
                    case 0 -> "/api/streams/burst/start";
                    case 2 -> "/api/streams/burst/start?wait=ready";
                    default -> "/api/streams/burst/stop";
                })).toList());
    }

    private static List<HttpResponse<String>> concurrently(List<Callable<HttpResponse<String>>> requests)
            throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> calls = requests.stream().map(threads::submit).toList();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
            return answers;
        }
    }

    /** The channel (on demand, running for a minute without viewers) and {@code more}. */
    private static String channels(String more) {
        return LiveApi.cheapChannel("burst", "Burst") + "    linger_seconds: 60\n" + more;
    }

    /** A channel whose source is the burst channel's HLS playlist on the same server. */
    private static String relay(String baseUrl) {
        return """
                  - id: relay
                    name: Relay
                    source: "%s/live/burst/index.m3u8"
                    profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                              audio: none}
                """.formatted(baseUrl);
    }

    /**
     * Other spawns through the server's pool, as other channels starting would: one attempt of
     * {@code true} (which exits at once) every {@link #LOAD_PERIOD}, each from its own virtual
     * thread, until closed; closing waits for the attempts in flight. Counts its refusals.
     */
    private static final class SpawnLoad implements AutoCloseable {
        private static final ByteSink DISCARD = new ByteSink() {
            @Override
            public void write(byte[] data, int offset, int length) {}

            @Override
            public void end() {}
        };

        private final AtomicLong refused = new AtomicLong();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();

        SpawnLoad(TestServer server) {
            ProcessPool pool = server.server().pool();
            ProcessSpec spec = new ProcessSpec("load", List.of("true"), server.dataDir(), Map.of());
            ticker.scheduleAtFixedRate(() -> attempts.submit(() -> {
                try {
                    pool.spawn(spec, DISCARD, exit -> {});
                } catch (SpawnRefusedException e) {
                    refused.incrementAndGet();
                }
                return null;
            }), 0, LOAD_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }

        long refused() {
            return refused.get();
        }

        @Override
        public void close() throws InterruptedException {
            ticker.shutdownNow();
            assertThat(ticker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            attempts.close();
        }
    }
}
