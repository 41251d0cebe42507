package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.ResponseJson;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Settings and channels changed through one node's API reach the other node (two JVMs on one real
 * {@code redis-server}): node B starts after the first changes and catches up; later changes are
 * pushed. The bounds here are generous (a loaded machine); the bench measures the delay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("two server processes and a Redis: they load the machine")
class ClusterSharedConfigIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A password in a source URL: stored in Redis, never in a log line. */
    private static final String PASSWORD = "s3cret-Pass-9471";
    private static final String CHANNELS = "  - id: filed\n    source: \"test:\"\n";

    private static RedisProcess redis;
    private static NodeProcess a;
    private static NodeProcess b;

    @BeforeAll
    static void startNodeA() throws Exception {
        redis = new RedisProcess().start();
        a = NodeProcess.start("node-a", Map.of("redis_url", redis.url()), CHANNELS).awaitRunning();
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (NodeProcess n : new NodeProcess[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
        for (NodeProcess n : new NodeProcess[] {a, b}) {
            if (n != null) {
                assertThat(String.join("\n", n.output())).as("%s's log", n.id()).doesNotContain(PASSWORD);
            }
        }
    }

    private static String channel(String id, String source) {
        return """
                {"id": "%s", "name": "Shared %s", "source": "%s", "linger_seconds": 30,
                 "profile": {"type": "h264", "width": 320, "height": 180, "fps": 25, "bitrate_kbps": 300,
                   "preset": "ultrafast"}}""".formatted(id, id, source);
    }

    private static JsonNode setting(NodeProcess n, String key) {
        HttpResponse<String> r = n.get("/api/settings");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode s : ResponseJson.of(r).path("settings")) {
            if (s.path("key").asText().equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no setting " + key);
    }

    private static HttpResponse<String> send(NodeProcess n, String method, String path, String json,
            Map<String, String> headers) {
        return n.request(method, path, json, headers);
    }

    private static Optional<String> etag(HttpResponse<String> r) {
        return r.headers().firstValue("ETag");
    }

    @Test
    @Order(1)
    void aNodeStartingAfterChangesCatchesUpWithThem() throws Exception {
        HttpResponse<String> patched = send(a, "PATCH", "/api/settings", "{\"window_segments\": 8}", Map.of());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        HttpResponse<String> created = send(a, "POST", "/api/channels", channel("early", "test:"), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        b = NodeProcess.start("node-b", Map.of("redis_url", redis.url()), CHANNELS).awaitRunning();

        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(setting(b, "window_segments").path("value").asInt()).isEqualTo(8);
            assertThat(b.get("/api/channels/early").statusCode()).isEqualTo(200);
        });
        assertThat(setting(b, "window_segments").path("origin").asText()).isEqualTo("api");
    }

    @Test
    @Order(2)
    void aSettingSetAndResetOnOneNodeIsSoOnTheOther() {
        HttpResponse<String> r = send(a, "PATCH", "/api/settings", "{\"max_sessions_per_channel\": 7,"
                + " \"restart_limit\": 4}", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(setting(b, "max_sessions_per_channel").path("value").asInt()).isEqualTo(7);
            assertThat(setting(b, "restart_limit").path("value").asInt()).isEqualTo(4);
        });

        HttpResponse<String> reset = send(b, "DELETE", "/api/settings/restart_limit", "", Map.of());
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);

        await().atMost(BOUND).untilAsserted(() -> assertThat(setting(a, "restart_limit").path("origin").asText())
                .isNotEqualTo("api"));
        assertThat(setting(a, "max_sessions_per_channel").path("value").asInt()).isEqualTo(7);
    }

    @Test
    @Order(3)
    void aChannelCreatedChangedAndDeletedOnOneNodeIsSoOnTheOther() {
        String source = "http://viewer:" + PASSWORD + "@127.0.0.1:9/live.m3u8";
        HttpResponse<String> created = send(a, "POST", "/api/channels", channel("shared", source), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        await().atMost(BOUND).untilAsserted(() -> assertThat(b.get("/api/channels/shared").statusCode())
                .isEqualTo(200));
        HttpResponse<String> onB = b.get("/api/channels/shared");
        assertThat(etag(onB)).isEqualTo(etag(created));
        assertThat(onB.body()).doesNotContain(PASSWORD);

        HttpResponse<String> changed = send(b, "PUT", "/api/channels/shared", channel("shared", "test:")
                .replace("Shared shared", "Renamed"), Map.of("If-Match", etag(onB).orElseThrow()));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        await().atMost(BOUND).untilAsserted(() -> assertThat(ResponseJson.of(a.get("/api/channels/shared"))
                .path("name").asText()).isEqualTo("Renamed"));
        assertThat(etag(a.get("/api/channels/shared"))).isEqualTo(etag(changed));

        HttpResponse<String> deleted = send(a, "DELETE", "/api/channels/shared", "", Map.of());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        await().atMost(BOUND).untilAsserted(() -> assertThat(b.get("/api/channels/shared").statusCode())
                .isEqualTo(404));
    }

    @Test
    @Order(4)
    void aRefusedChangeReachesNoNodeAndTheFilesChannelsStayEachNodesOwn() {
        HttpResponse<String> refused = send(a, "PATCH", "/api/settings", "{\"window_segments\": 999}", Map.of());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        HttpResponse<String> fileChannel = send(b, "PUT", "/api/channels/filed", channel("filed", "test:"),
                Map.of());
        assertThat(fileChannel.statusCode()).as(fileChannel.body()).isEqualTo(409);
        HttpResponse<String> marker = send(a, "POST", "/api/channels", channel("marker", "test:"), Map.of());
        assertThat(marker.statusCode()).as(marker.body()).isEqualTo(201);

        // the marker, published after the refused change, has arrived: the refused one would have too
        await().atMost(BOUND).untilAsserted(() -> assertThat(b.get("/api/channels/marker").statusCode())
                .isEqualTo(200));
        assertThat(setting(b, "window_segments").path("value").asInt()).isEqualTo(8);
        assertThat(ResponseJson.of(b.get("/api/channels/filed")).path("origin").asText()).isEqualTo("file");
    }
}
