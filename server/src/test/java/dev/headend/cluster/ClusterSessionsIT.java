package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Viewer sessions across two Headend nodes (JVMs of their own) on one real {@code
 * redis-server}: HLS viewers on both nodes of one channel (node 1 runs it, node 2 relays it),
 * listed by either node with their node, counted against one limit for the cluster, kicked from
 * the other node, and gone from the list when their node is killed. The tests run in order: each
 * builds on the viewers of the one before, and the last kills node 2.
 */
@NeedsFfmpeg
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("two server processes, a Redis and a pipeline: they load the machine")
class ClusterSessionsIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final int LIMIT = 3;
    private static final Map<String, String> SETTINGS = Map.of("lease_ttl_seconds", "4s",
            "max_sessions_per_channel", Integer.toString(LIMIT),
            // the viewers here request one segment each: they must not end for want of more during the test
            "session_idle_seconds", "600s");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisProcess redis;
    private static NodeProcess node1;
    private static NodeProcess node2;
    /** Tokens of the viewers watching, by node id. */
    private static final Map<String, List<String>> viewers = Map.of("node-1", new ArrayList<>(), "node-2",
            new ArrayList<>());

    @BeforeAll
    static void startCluster() throws Exception {
        redis = new RedisProcess().start();
        String channels = TestServer.testChannel("lim", 600);
        node1 = NodeProcess.start("node-1", with("redis_url", redis.url()), channels);
        node2 = NodeProcess.start("node-2", with("redis_url", redis.url()), channels);
        node1.awaitRunning();
        node2.awaitRunning();
        await().atMost(BOUND).alias("both nodes in the registry").until(() -> node1.cluster().path("nodes").size() == 2
                && node2.cluster().path("nodes").size() == 2);
        HttpResponse<String> started = node1.post("/api/streams/lim/start?wait=ready");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(SETTINGS);
        all.put(key, value);
        return all;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {node1, node2}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> play(NodeProcess n, String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(n.url() + "/live/lim/" + pathAndQuery)).GET());
    }

    private static HttpResponse<String> admin(NodeProcess n, String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(n.url() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).method(method,
                        HttpRequest.BodyPublishers.noBody()));
    }

    /** A player's first request: the redirect to the playlist with its token (or the refusal). */
    private static HttpResponse<String> firstRequest(NodeProcess n) {
        return play(n, "index.m3u8");
    }

    /** A new HLS viewer on {@code n}: the redirect, its playlist with the token, one segment. */
    private static void watch(NodeProcess n) {
        HttpResponse<String> first = firstRequest(n);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
        String location = first.headers().firstValue("Location").orElseThrow();
        String token = location.substring(location.indexOf("?s=") + 3);
        HttpResponse<String> playlist = play(n, location);
        assertThat(playlist.statusCode()).as(playlist.body()).isEqualTo(200);
        if (n == node2) {
            assertThat(playlist.headers().firstValue(ClusterNode.RELAYED_FROM_HEADER)).contains("node-1");
        }
        String segment = playlist.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst()
                .orElseThrow();
        assertThat(segment).endsWith("?s=" + token);
        HttpResponse<String> media = play(n, segment);
        assertThat(media.statusCode()).as(media.body()).isEqualTo(200);
        viewers.get(n.id()).add(token);
    }

    private static JsonNode sessions(NodeProcess n) {
        HttpResponse<String> r = admin(n, "GET", "/api/sessions?channel_id=lim");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResponseJson.of(r);
    }

    /** The node of each listed session. */
    private static List<String> nodesListed(JsonNode list) {
        List<String> nodes = new ArrayList<>();
        list.path("sessions").forEach(s -> nodes.add(s.path("node").asText()));
        return nodes;
    }

    @Test
    @Order(1)
    void viewersOnBothNodesAreListedByEitherWithTheirNode() {
        watch(node1);
        watch(node2);
        watch(node2);

        for (NodeProcess n : List.of(node1, node2)) {
            JsonNode list = sessions(n);
            assertThat(list.path("total_sessions").asInt()).as("on %s: %s", n.id(), list).isEqualTo(LIMIT);
            assertThat(nodesListed(list)).as("on %s", n.id()).containsExactlyInAnyOrder("node-1", "node-2", "node-2");
            assertThat(list.path("unreachable_nodes")).isEmpty();
            assertThat(list.path("sessions").findValuesAsText("protocol")).containsOnly("hls");
        }
        HttpResponse<String> channel = admin(node2, "GET", "/api/channels/lim");
        assertThat(ResponseJson.of(channel).path("viewers").asInt()).as("the cluster's count, on a node that does"
                + " not run the channel").isEqualTo(LIMIT);
        HttpResponse<String> stream = admin(node1, "GET", "/api/streams/lim");
        assertThat(ResponseJson.of(stream).path("viewers").asInt()).isEqualTo(LIMIT);
    }

    @Test
    @Order(2)
    void theLimitHoldsForTheClusterOnEitherNode() {
        for (NodeProcess n : List.of(node1, node2)) {
            HttpResponse<String> refused = firstRequest(n);
            assertThat(refused.statusCode()).as("on %s: %s", n.id(), refused.body()).isEqualTo(429);
            assertThat(ResponseJson.of(refused).path("error").path("code").asText()).isEqualTo("too_many_sessions");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(sessions(node1).path("total_sessions").asInt()).as("nothing changed").isEqualTo(LIMIT);
    }

    @Test
    @Order(3)
    void aSessionOfOneNodeIsEndedFromTheOther() {
        JsonNode target = null;
        for (JsonNode s : sessions(node1).path("sessions")) {
            if (s.path("node").asText().equals("node-2")) {
                target = s;
            }
        }
        assertThat(target).isNotNull();
        String id = target.path("id").asText();

        HttpResponse<String> ended = admin(node1, "DELETE", "/api/sessions/" + id);

        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(ResponseJson.of(ended).path("session").path("node").asText()).isEqualTo("node-2");
        assertThat(ResponseJson.of(ended).path("session").path("id").asText()).isEqualTo(id);
        assertThat(nodesListed(sessions(node2))).containsExactlyInAnyOrder("node-1", "node-2");
        // the kicked player's token no longer works on its node; the other viewer's still does
        List<String> statuses = viewers.get("node-2").stream().map(t -> play(node2, "index.m3u8?s=" + t))
                .map(r -> r.statusCode() + (r.statusCode() == 403 ? ResponseJson.of(r).path("error").path("code")
                        .asText() : "")).toList();
        assertThat(statuses).containsExactlyInAnyOrder("200", "403session_ended");
        HttpResponse<String> again = admin(node2, "DELETE", "/api/sessions/" + id);
        assertThat(again.statusCode()).as("ended already, on every node").isEqualTo(404);
        assertThat(ResponseJson.of(again).path("error").path("code").asText()).isEqualTo("session_not_found");

        // its place is free in the cluster
        await().atMost(BOUND).until(() -> firstRequest(node1).statusCode() == 302);
        watch(node1);
        assertThat(firstRequest(node2).statusCode()).isEqualTo(429);
    }

    @Test
    @Order(4)
    void badRequestsThroughTheRelayingNodeAreRefusedAndChangeNothing() {
        HttpResponse<String> malformed = play(node2, "index.m3u8?s=not*a*token");
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(ResponseJson.of(malformed).path("error").path("code").asText()).isEqualTo("invalid_session");
        HttpResponse<String> unknown = admin(node2, "DELETE", "/api/sessions/AAAAAAAAAAAAAAAA");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        HttpResponse<String> invalid = admin(node2, "DELETE", "/api/sessions/short");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(ResponseJson.of(invalid).path("error").path("code").asText()).isEqualTo("invalid_session_id");
        assertThat(nodesListed(sessions(node2))).containsExactlyInAnyOrder("node-1", "node-1", "node-2");
    }

    @Test
    @Order(5)
    void theSessionRoutesBetweenNodesWantTheClusterSecret() {
        for (String method : List.of("GET", "DELETE")) {
            String path = method.equals("GET") ? "/cluster/sessions" : "/cluster/sessions/AAAAAAAAAAAAAAAA";
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(node1.url() + path))
                    .header(ClusterNode.PEER_HEADER, "not-the-secret")
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(ResponseJson.of(r).path("error").path("code").asText()).isEqualTo("not_a_peer");
        }
        assertThat(sessions(node1).path("total_sessions").asInt()).isEqualTo(LIMIT);
    }

    @Test
    @Order(6)
    void aContinuousTsViewerRelayedByANodeCountsOnceAtTheOwner() throws Exception {
        String id = null;
        for (JsonNode v : sessions(node2).path("sessions")) {
            if (v.path("node").asText().equals("node-1")) {
                id = v.path("id").asText();
            }
        }
        assertThat(admin(node2, "DELETE", "/api/sessions/" + id).statusCode()).as("a kick sent to node-1")
                .isEqualTo(200);
        await().atMost(BOUND).until(() -> firstRequest(node2).statusCode() == 302);

        HttpResponse<InputStream> ts = HTTP.send(HttpRequest.newBuilder(URI.create(node2.url() + "/live/lim.ts"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = ts.body()) {
            assertThat(ts.statusCode()).isEqualTo(200);
            assertThat(in.readNBytes(188 * 10)).hasSize(188 * 10);
            JsonNode list = sessions(node1);
            assertThat(list.path("total_sessions").asInt()).as("%s", list).isEqualTo(LIMIT);
            assertThat(list.path("sessions").findValuesAsText("protocol")).containsExactlyInAnyOrder("hls", "hls",
                    "ts");
            for (JsonNode v : list.path("sessions")) {
                if (v.path("protocol").asText().equals("ts")) {
                    assertThat(v.path("node").asText()).isEqualTo("node-1");
                }
            }
            assertThat(firstRequest(node1).statusCode()).isEqualTo(429);
        }
        await().atMost(BOUND).alias("the relayed TS session ends with its connection")
                .until(() -> !sessions(node1).path("sessions").findValuesAsText("protocol").contains("ts"));
        await().atMost(BOUND).until(() -> firstRequest(node1).statusCode() == 302);
        watch(node1);
    }

    @Test
    @Order(7)
    void theSessionsOfAKilledNodeLeaveTheListAndTheCountWithinTheRegistrysExpiry() throws Exception {
        assertThat(nodesListed(sessions(node1))).containsExactlyInAnyOrder("node-1", "node-1", "node-2");

        node2.kill();

        await().atMost(BOUND).alias("node-2's session gone from node-1's list")
                .until(() -> !nodesListed(sessions(node1)).contains("node-2"));
        await().atMost(BOUND).alias("node-2 gone from the registry, its sessions from the count")
                .until(() -> sessions(node1).path("unreachable_nodes").isEmpty()
                        && firstRequest(node1).statusCode() == 302);
        watch(node1);
        assertThat(nodesListed(sessions(node1))).containsExactly("node-1", "node-1", "node-1");
        assertThat(firstRequest(node1).statusCode()).isEqualTo(429);
    }
}
