package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Drain on two node JVMs over one real {@code redis-server}: alone, node A refuses to drain;
 * with node B serving, A hands its channel to B while a viewer plays it through B.
 */
@NeedsFfmpeg
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("two server processes, a Redis and pipelines: they load the machine")
class ClusterDrainIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String CHANNELS = TestServer.testChannel("one", 600);

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
    }

    private static String holder(NodeProcess n, String channelId) {
        for (JsonNode l : n.cluster().path("leases")) {
            if (l.path("channel_id").asText().equals(channelId)) {
                return l.path("node").asText();
            }
        }
        return "";
    }

    /** What a viewer polling the playlist through one node saw. */
    private static final class Viewer {
        final List<Long> mediaSequences = new CopyOnWriteArrayList<>();
        final List<Long> segmentsFetched = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();

        void watch(NodeProcess n, String channelId) {
            while (!stop.get()) {
                HttpResponse<String> r = n.get("/live/" + channelId + "/index.m3u8");
                if (r.statusCode() != 200) {
                    failures.add("playlist " + r.statusCode() + ": " + r.body());
                } else {
                    LivePlaylist p = LivePlaylist.parse(r.body());
                    if (p.mediaSequence() != null) {
                        mediaSequences.add(p.mediaSequence());
                    }
                    if (!p.segments().isEmpty()) {
                        LivePlaylist.Entry newest = p.segments().getLast();
                        HttpResponse<byte[]> s = n.getBytes("/live/" + channelId + "/" + newest.uri());
                        if (s.statusCode() == 200 && s.body().length > 0) {
                            segmentsFetched.add(newest.sequence());
                        } else {
                            failures.add("segment " + newest.uri() + ": " + s.statusCode());
                        }
                    }
                }
                try {
                    Thread.sleep(500); // a player's reload interval, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Test
    @Order(1)
    void aDrainWithNoOtherServingNodeIsRefusedAndChangesNothing() {
        assertThat(a.post("/api/streams/one/start?wait=ready").statusCode()).isEqualTo(200);

        HttpResponse<String> r = a.post("/api/cluster/drain");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(ResponseJson.of(r).path("error").path("code").asText()).isEqualTo("no_other_node");
        JsonNode cluster = a.cluster();
        assertThat(cluster.path("node").path("state").asText()).isEqualTo("serving");
        assertThat(cluster.has("drain")).isFalse();
        assertThat(cluster.path("nodes").findValuesAsText("state")).containsExactly("serving");
        assertThat(holder(a, "one")).isEqualTo("node-a");
        assertThat(a.runs("one")).isTrue();
    }

    @Test
    @Order(2)
    void aDrainedNodeHandsItsChannelToTheOtherWhileAViewerPlaysItThroughThatNode() throws Exception {
        b = NodeProcess.start("node-b", Map.of("redis_url", redis.url()), CHANNELS).awaitRunning();
        await().atMost(BOUND).until(() -> a.cluster().path("nodes").size() == 2);
        Viewer viewer = new Viewer();
        Thread watching = Thread.ofVirtual().start(() -> viewer.watch(b, "one"));
        await().atMost(BOUND).until(() -> viewer.segmentsFetched.size() >= 2);

        HttpResponse<String> r = a.post("/api/cluster/drain");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode drain = ResponseJson.of(r);
        assertThat(drain.path("state").asText()).isEqualTo("draining");
        assertThat(drain.path("handovers").findValuesAsText("channel_id")).containsExactly("one");
        assertThat(drain.path("handovers").findValuesAsText("to")).containsExactly("node-b");
        assertThat(b.cluster().path("nodes").findValuesAsText("state")).contains("draining");

        await().atMost(BOUND).alias("node-b owns channel one").until(() -> holder(b, "one").equals("node-b"));
        await().atMost(BOUND).alias("node-a drained").until(() -> a.cluster().path("drain").path("drained")
                .asBoolean());
        await().atMost(BOUND).alias("node-a's pipeline stopped").until(() -> !a.runs("one"));
        assertThat(a.cluster().path("drain").path("owned").asInt()).isZero();
        assertThat(a.cluster().path("drain").path("handovers").findValuesAsText("state")).containsExactly("done");
        assertThat(b.runs("one")).isTrue();
        int fetchedAtHandover = viewer.segmentsFetched.size();
        await().atMost(BOUND).alias("the viewer's segments keep coming from node-b")
                .until(() -> viewer.segmentsFetched.size() >= fetchedAtHandover + 3);
        viewer.stop.set(true);
        watching.join();

        System.out.printf("drain viewer: media sequences %s, segments %s, failures %s%n", viewer.mediaSequences,
                viewer.segmentsFetched, viewer.failures);
        assertThat(viewer.failures).isEmpty();
        assertThat(viewer.mediaSequences).as("the playlist never goes back").isSorted();
        assertThat(viewer.segmentsFetched).as("the segments keep coming, never an older one").isSorted();

    }
}
