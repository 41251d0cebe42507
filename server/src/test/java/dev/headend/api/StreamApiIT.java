package dev.headend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stream API against a real server: start, inspect, stop and clean up streams. */
@NeedsFfmpeg
class StreamApiIT {
    private static final int CALLERS = 50;
    private static final Duration START = Duration.ofSeconds(20);

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(channel("idem") + channel("race") + channel("crowd") + channel("ready")
                + channel("halt") + channel("swept"));
    }

    /** Stops whatever a test started, so each test sees a server without pipelines. */
    @AfterEach
    void stopAllStreams() {
        server.stopAllStreams();
    }

    @Test
    void startIsIdempotentAndTheStreamIsListedEverywhere() {
        HttpResponse<String> first = server.post("/api/streams/idem/start");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first).path("success")).isEqualTo(BooleanNode.TRUE);
        assertThat(json(first).path("already_running")).isEqualTo(BooleanNode.FALSE);
        await().atMost(START).until(() -> json(server.get("/api/streams/idem")).path("state").asText()
                .equals("running"));

        HttpResponse<String> second = server.post("/api/streams/idem/start");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).path("already_running")).isEqualTo(BooleanNode.TRUE);
        assertThat(json(second).path("uptime").asDouble()).isPositive();

        HttpResponse<String> get = server.get("/api/streams/idem");
        assertThat(get.statusCode()).isEqualTo(200);
        JsonNode stream = json(get);
        assertThat(stream.path("stream_id").asText()).isEqualTo("idem");
        assertThat(stream.path("state").asText()).isEqualTo("running");
        assertThat(stream.path("is_active")).isEqualTo(BooleanNode.TRUE);
        assertThat(stream.path("uptime").asDouble()).isPositive();
        assertThat(stream.path("viewers")).isEqualTo(IntNode.valueOf(0));
        assertThat(server.pipelinePids()).containsExactly(stream.path("pid").asLong());
        assertThat(stream.path("restarts")).isEqualTo(IntNode.valueOf(0));
        assertThat(stream.path("playlist_url").asText()).isEqualTo(server.url() + "/live/idem/index.m3u8");

        JsonNode list = json(server.get("/api/streams"));
        assertThat(list.path("streams").findValuesAsText("stream_id")).containsExactly("idem");
        assertThat(list.path("count")).isEqualTo(IntNode.valueOf(1));

        JsonNode listed = withId(json(server.get("/api/channels")).path("channels"), "idem");
        assertThat(listed.path("state").asText()).isEqualTo("running");
        assertThat(listed.path("stream").path("stream_id").asText()).isEqualTo("idem");
        HttpResponse<String> channel = server.get("/api/channels/idem");
        assertThat(channel.statusCode()).isEqualTo(200);
        assertThat(json(channel).path("state").asText()).isEqualTo("running");
        assertThat(json(channel).path("stream").path("pid")).isEqualTo(stream.path("pid"));
    }

    @Test
    void concurrentStartsOfAColdChannelLaunchOnePipeline() {
        List<HttpResponse<String>> responses = concurrently(() -> server.post("/api/streams/race/start"));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        List<JsonNode> alreadyRunning = responses.stream().map(r -> json(r).path("already_running")).toList();
        assertThat(alreadyRunning).allSatisfy(flag -> assertThat(flag.isBoolean()).isTrue())
                .containsOnlyOnce(BooleanNode.FALSE);
        assertOnePipelineThroughout(Duration.ofSeconds(2));
    }

    @Test
    void concurrentFirstPlaylistRequestsShareOnePipeline() {
        List<HttpResponse<String>> responses = concurrently(() -> server.get("/live/crowd/index.m3u8"));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(LivePlaylist.parse(r.body()).segments()).isNotEmpty();
        });
        assertThat(responses.stream().map(r -> r.uri().getQuery()).distinct()).hasSize(CALLERS);
        assertThat(json(server.get("/api/streams/crowd")).path("viewers")).isEqualTo(IntNode.valueOf(CALLERS));
        assertOnePipelineThroughout(Duration.ofSeconds(2));
    }

    @Test
    void waitReadyReturnsOnceThePlaylistHasASegment() {
        HttpResponse<String> start = server.post("/api/streams/ready/start?wait=ready");

        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(json(start).path("already_running")).isEqualTo(BooleanNode.FALSE);
        assertThat(json(start).path("state").asText()).isEqualTo("running");
        assertThat(json(server.get("/api/streams/ready")).path("media_sequence").isIntegralNumber()).isTrue();
        assertThat(server.get("/live/ready/index.m3u8").body()).contains("#EXTINF:");
    }

    @Test
    void stopEndsTheStreamItsPipelineAndItsPlaylists() {
        HttpResponse<String> watching = server.get("/live/halt/index.m3u8");
        assertThat(LivePlaylist.parse(watching.body()).segments()).isNotEmpty();

        HttpResponse<String> stop = server.post("/api/streams/halt/stop");
        assertThat(stop.statusCode()).isEqualTo(200);
        assertThat(json(stop).path("success")).isEqualTo(BooleanNode.TRUE);
        assertThat(json(stop).path("was_running")).isEqualTo(BooleanNode.TRUE);
        assertThat(streamIds()).doesNotContain("halt");
        await().atMost(START).until(() -> server.pipelinePids().isEmpty());

        HttpResponse<String> again = server.post("/api/streams/halt/stop");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("success")).isEqualTo(BooleanNode.TRUE);
        assertThat(json(again).path("was_running")).isEqualTo(BooleanNode.FALSE);

        HttpResponse<String> last = server.send(HttpRequest.newBuilder(watching.uri()).GET());
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(last.body().strip()).endsWith("#EXT-X-ENDLIST");
        assertThat(server.pipelinePids()).isEmpty();
        assertThat(streamIds()).doesNotContain("halt");
    }

    @Test
    void cleanupOnAHealthyServerCleansNothing() {
        assertThat(server.post("/api/streams/swept/start?wait=ready").statusCode()).isEqualTo(200);
        JsonNode pid = json(server.get("/api/streams/swept")).path("pid");

        HttpResponse<String> cleanup = server.post("/api/streams/cleanup");

        assertThat(cleanup.statusCode()).isEqualTo(200);
        assertThat(json(cleanup).path("success")).isEqualTo(BooleanNode.TRUE);
        assertThat(json(cleanup).path("cleaned_up")).isEqualTo(IntNode.valueOf(0));
        assertThat(json(cleanup).path("message").asText()).isNotBlank();
        JsonNode stream = json(server.get("/api/streams/swept"));
        assertThat(stream.path("state").asText()).isEqualTo("running");
        assertThat(stream.path("pid")).isEqualTo(pid);
        assertThat(server.pipelinePids()).containsExactly(pid.asLong());
    }

    @Test
    void healthzAnswersOk() {
        HttpResponse<String> health = server.get("/healthz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");
    }

    /** A test-pattern channel that keeps running without viewers for the whole class. */
    private static String channel(String id) {
        return TestServer.testChannel(id, 300);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return ResponseJson.of(response);
    }

    private static List<String> streamIds() {
        return json(server.get("/api/streams")).path("streams").findValuesAsText("stream_id");
    }

    private static JsonNode withId(JsonNode array, String id) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(n -> n.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no element with id " + id + " in " + array));
    }

    /** Runs {@code call} from {@link #CALLERS} virtual threads released at the same moment. */
    private static <T> List<T> concurrently(Callable<T> call) {
        CyclicBarrier barrier = new CyclicBarrier(CALLERS);
        List<Future<T>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLERS; i++) {
                results.add(threads.submit(() -> {
                    barrier.await();
                    return call.call();
                }));
            }
        }
        return results.stream().map(Future::resultNow).toList();
    }

    /** Exactly one FFmpeg process, the same one, for the whole period. */
    private static void assertOnePipelineThroughout(Duration period) {
        assertThat(server.pipelinePids()).hasSize(1);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        await().during(period).atMost(period.plusSeconds(3)).until(() -> {
            List<Long> pids = server.pipelinePids();
            seen.addAll(pids);
            return pids.size() == 1;
        });
        assertThat(seen).hasSize(1);
    }
}
