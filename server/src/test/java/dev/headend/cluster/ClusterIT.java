package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headend.support.Ffprobe;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Three Headend nodes, each a JVM of its own, on one real {@code redis-server}, on loopback.
 * Each test uses channels of its own; they run in order because the later ones kill, pause and
 * cut nodes off. Node 1 and node 2 hold leases for 4 s, node 3 for 60 s (so its channel outlives
 * a Redis outage within any bound a loaded machine needs); node 3 redirects viewers of channels it
 * does not own, the others relay them.
 */
@NeedsFfmpeg
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("three server processes, a Redis and pipelines, killed and paused: they load the machine")
class ClusterIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String CHANNELS = TestServer.testChannel("one", 600) + TestServer.testChannel("two", 600)
            + TestServer.testChannel("three", 600) + TestServer.testChannel("four", 600)
            + TestServer.testChannel("five", 600) + TestServer.testChannel("six", 600)
            + TestServer.testChannel("seven", 2);

    private static RedisProcess redis;
    private static NodeProcess node1;
    private static NodeProcess node2;
    private static NodeProcess node3;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = new RedisProcess().start();
        node1 = NodeProcess.start("node-1", Map.of("redis_url", redis.url(), "lease_ttl_seconds", "4s"), CHANNELS);
        node2 = NodeProcess.start("node-2", Map.of("redis_url", redis.url(), "lease_ttl_seconds", "4s"), CHANNELS);
        node3 = NodeProcess.start("node-3", Map.of("redis_url", redis.url(), "lease_ttl_seconds", "60s",
                "cluster_redirect", "true"), CHANNELS);
        for (NodeProcess n : List.of(node1, node2, node3)) {
            n.awaitRunning();
        }
        await().atMost(BOUND).alias("every node in the registry").until(() -> nodeIds(node1).size() == 3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {node1, node2, node3}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static List<String> nodeIds(NodeProcess n) {
        List<String> ids = new ArrayList<>();
        n.cluster().path("nodes").forEach(node -> ids.add(node.path("id").asText()));
        return ids;
    }

    /** The leases of the channel in {@code GET /api/cluster}. */
    private static List<JsonNode> leases(NodeProcess n, String channelId) {
        List<JsonNode> found = new ArrayList<>();
        n.cluster().path("leases").forEach(l -> {
            if (l.path("channel_id").asText().equals(channelId)) {
                found.add(l);
            }
        });
        return found;
    }

    private static String holder(NodeProcess n, String channelId) {
        List<JsonNode> l = leases(n, channelId);
        return l.isEmpty() ? "" : l.getFirst().path("node").asText();
    }

    @Test
    @Order(1)
    void concurrentStartsOverEveryNodeGiveOnePipelineAndOneLease() throws Exception {
        List<NodeProcess> nodes = List.of(node1, node2, node3);
        List<HttpResponse<String>> answers;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 100)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> nodes.get(i % 3).post("/api/streams/one/start"),
                            pool)).toList();
            answers = calls.stream().map(CompletableFuture::join).toList();
        }

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(answers).filteredOn(r -> !ResponseJson.of(r).path("already_running").asBoolean()).hasSize(1);
        assertThat(leases(node2, "one")).hasSize(1);
        String owner = holder(node2, "one");
        assertThat(nodes).filteredOn(n -> n.runs("one")).extracting(NodeProcess::id).containsExactly(owner);
        assertThat(nodes.stream().mapToInt(NodeProcess::pipelines).sum()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aViewerOnANodeThatDoesNotOwnTheChannelPlaysItsHlsAndTs() throws Exception {
        assertThat(node1.post("/api/streams/two/start?wait=ready").statusCode()).isEqualTo(200);
        assertThat(holder(node1, "two")).isEqualTo("node-1");

        HttpResponse<String> playlist = node2.get("/live/two/index.m3u8");
        assertThat(playlist.statusCode()).as(playlist.body()).isEqualTo(200);
        assertThat(playlist.headers().firstValue(ClusterNode.RELAYED_FROM_HEADER)).contains("node-1");
        // the viewer's session token (a session of node-2, where the viewer is) in every segment URI
        assertThat(playlist.body()).contains("#EXTM3U").containsPattern("(?m)^[0-9]+\\.ts\\?s=[A-Za-z0-9_-]{43}$");
        JsonNode hls = new ObjectMapper().readTree(Ffprobe.run("-show_entries", "stream=codec_name", "-of", "json",
                node2.url() + "/live/two/index.m3u8"));
        assertThat(hls.path("streams").findValuesAsText("codec_name")).contains("h264");
        JsonNode ts = new ObjectMapper().readTree(Ffprobe.run("-show_entries", "stream=codec_name", "-of", "json",
                node2.url() + "/live/two.ts"));
        assertThat(ts.path("streams").findValuesAsText("codec_name")).contains("h264");
        for (String path : List.of("/live/two/index.m3u8", "/live/two.ts", "/live/two/1.ts?s=x")) {
            HttpResponse<String> redirect = node3.getWithoutRedirect(path);
            assertThat(redirect.statusCode()).as(path).isEqualTo(307);
            assertThat(redirect.headers().firstValue("Location")).as(path).contains(node1.url() + path);
        }
        assertThat(node2.runs("two")).isFalse();
        assertThat(node3.runs("two")).isFalse();
        assertThat(node2.pipelines() + node3.pipelines()).isEqualTo(nodesRunning("one", node2, node3));
    }

    @Test
    @Order(6)
    void viewersRelayedFromAnotherNodeKeepAnOnDemandChannelOnAtItsOwner() {
        assertThat(node3.post("/api/streams/seven/start?wait=ready").statusCode()).isEqualTo(200);
        long token = leases(node3, "seven").getFirst().path("fencing_token").asLong();

        // channel seven lingers 2 s without a viewer; node-2's viewers have no session at node-3
        await().during(Duration.ofSeconds(8)).atMost(BOUND).pollInterval(Duration.ofSeconds(1))
                .alias("channel seven kept running, under one lease, while node-2 relays it")
                .until(() -> node2.get("/live/seven/index.m3u8").statusCode() == 200 && node3.runs("seven")
                        && leases(node3, "seven").getFirst().path("fencing_token").asLong() == token);
    }

    /** Pipelines the earlier test left on these nodes: channel one's, where it runs. */
    private static int nodesRunning(String channelId, NodeProcess... nodes) {
        int n = 0;
        for (NodeProcess node : nodes) {
            n += node.runs(channelId) ? 1 : 0;
        }
        return n;
    }

    @Test
    @Order(3)
    void aPausedOwnerLosesItsChannelAndOnceResumedStopsItAndServesNothingOfItsOwn() throws Exception {
        assertThat(node2.post("/api/streams/three/start?wait=ready").statusCode()).isEqualTo(200);
        assertThat(holder(node2, "three")).isEqualTo("node-2");
        String own = node2.get("/live/three/index.m3u8").body();
        String sequence = own.lines().filter(l -> !l.startsWith("#") && l.contains(".ts"))
                .map(l -> l.substring(0, l.indexOf(".ts") + 3)).reduce((a, b) -> b).orElseThrow(); // N.ts, no token

        node2.signal("STOP");
        try {
            await().atMost(BOUND).alias("node-3 takes channel three once node-2's lease ran out")
                    .until(() -> !ResponseJson.of(node3.post("/api/streams/three/start")).has("node"));
            assertThat(holder(node3, "three")).isEqualTo("node-3");
        } finally {
            node2.signal("CONT");
        }

        HttpResponse<byte[]> segment = node2.getBytes("/live/three/" + sequence);
        assertThat(segment.headers().firstValue(ClusterNode.RELAYED_FROM_HEADER)).as("status %s",
                segment.statusCode()).contains("node-3");
        await().atMost(BOUND).alias("the stale owner stops its pipeline").until(() -> !node2.runs("three"));
        assertThat(node3.runs("three")).isTrue();
        assertThat(node2.output()).anyMatch(l -> l.contains("lost the lease of channel three"));
    }

    @Test
    @Order(4)
    void whenTheOwnerIsKilledAnotherNodeServesTheChannelAgain() throws Exception {
        assertThat(node1.post("/api/streams/four/start?wait=ready").statusCode()).isEqualTo(200);
        assertThat(holder(node2, "four")).isEqualTo("node-1");
        HttpResponse<String> before = node2.get("/live/four/index.m3u8");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        Set<String> listed = segmentUris(before.body());
        List<Integer> reloads = new CopyOnWriteArrayList<>();

        node1.kill();

        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).alias("a new segment of four through node-2")
                .until(() -> {
                    HttpResponse<String> r = node2.get("/live/four/index.m3u8");
                    reloads.add(r.statusCode());
                    return r.statusCode() == 200 && !listed.containsAll(segmentUris(r.body()));
                });
        assertThat(reloads).as("the playlist through node-2 while the channel moved: the last one it had,"
                + " then the new owner's").containsOnly(200);
        await().atMost(BOUND).until(() -> holder(node2, "four").matches("node-[23]"));
        await().atMost(BOUND).alias("node-1 gone from the registry").until(() -> !nodeIds(node2).contains("node-1"));
    }

    @Test
    @Order(5)
    void whileRedisIsDownRunningChannelsServeAndNothingStartsAndAfterItTheNodesRegisterAgain() throws Exception {
        assertThat(node3.post("/api/streams/five/start?wait=ready").statusCode()).isEqualTo(200);
        assertThat(holder(node3, "five")).isEqualTo("node-3");

        redis.stop();
        try {
            await().atMost(BOUND).until(() -> node2.cluster().path("redis").asText().equals("unreachable"));
            assertThat(node3.get("/live/five/index.m3u8").statusCode()).as("a local viewer of a running channel")
                    .isEqualTo(200);
            HttpResponse<String> viewer = node2.get("/live/six/index.m3u8");
            HttpResponse<String> start = node2.post("/api/streams/six/start");
            for (HttpResponse<String> r : List.of(viewer, start)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(ResponseJson.of(r).path("error").path("code").asText()).isEqualTo("cluster_unavailable");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            }
            assertThat(node2.runs("six")).isFalse();
            HttpResponse<String> health = node2.get("/healthz");
            assertThat(ResponseJson.of(health).path("status").asText()).isEqualTo("degraded");
            assertThat(ResponseJson.of(health).path("cluster").path("redis").asText()).isEqualTo("unreachable");
        } finally {
            redis.start();
        }

        await().atMost(BOUND).alias("both nodes registered again").until(() -> node2.cluster().path("redis").asText()
                .equals("connected") && nodeIds(node2).containsAll(List.of("node-2", "node-3")));
        await().atMost(BOUND).alias("node-3 holds channel five again").until(() -> holder(node2, "five")
                .equals("node-3"));
        assertThat(node3.runs("five")).isTrue();
    }

    /** The segments a playlist lists, by URI without its query (each viewer's session token differs). */
    private static Set<String> segmentUris(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.contains("?") ? l.substring(0, l.indexOf('?')) : l).collect(Collectors.toSet());
    }
}
