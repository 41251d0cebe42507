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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Two Headend nodes, each a JVM of its own, on one real {@code redis-server}: a viewer polls a
 * channel's playlist through the node that does not own it while the owner is killed, and the
 * other node takes the channel over. Leases last 4 s.
 */
@NeedsFfmpeg
@Isolated("two server processes, a Redis and pipelines, one killed: they load the machine")
class ClusterPlaylistIT {
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String CHANNELS = TestServer.testChannel("cam", 600);

    private static RedisProcess redis;
    private static NodeProcess nodeA;
    private static NodeProcess nodeB;

    /** A playlist as the viewer got it, and the node its answer says it was relayed from (empty: served locally). */
    private record Poll(LivePlaylist playlist, Optional<String> relayedFrom) {}

    @BeforeAll
    static void startCluster() throws Exception {
        redis = new RedisProcess().start();
        nodeA = NodeProcess.start("node-a", Map.of("redis_url", redis.url(), "lease_ttl_seconds", "4s"), CHANNELS);
        nodeB = NodeProcess.start("node-b", Map.of("redis_url", redis.url(), "lease_ttl_seconds", "4s"), CHANNELS);
        nodeA.awaitRunning();
        nodeB.awaitRunning();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aViewerOfTheOtherNodeSeesTheSequencesGoOnAcrossATakeoverWithOneDiscontinuity() throws Exception {
        HttpResponse<String> start = nodeA.post("/api/streams/cam/start?wait=ready");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        List<Poll> polls = new CopyOnWriteArrayList<>();
        ScheduledExecutorService viewer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        try {
            viewer.scheduleWithFixedDelay(() -> poll(polls), 0, 500, TimeUnit.MILLISECONDS);
            await().atMost(BOUND).alias("three playlists relayed from node-a")
                    .until(() -> polls.stream().filter(p -> p.relayedFrom().equals(Optional.of("node-a"))).count()
                            >= 3);

            nodeA.kill();

            await().atMost(BOUND).alias("node-b serves channel cam itself, three segments past the join")
                    .until(() -> servedLocally(polls).size() >= 3 && newest(servedLocally(polls).getLast())
                            >= joinOf(servedLocally(polls)) + 2);
        } finally {
            viewer.shutdownNow();
            viewer.awaitTermination(30, TimeUnit.SECONDS);
        }

        long newestBefore = polls.stream().filter(p -> p.relayedFrom().isPresent()).mapToLong(p -> newest(p))
                .max().orElseThrow();
        long previousMedia = Long.MIN_VALUE;
        long previousDiscontinuity = Long.MIN_VALUE;
        List<Long> tagged = new ArrayList<>();
        for (Poll p : polls) {
            LivePlaylist l = p.playlist();
            assertThat(l.mediaSequence()).as("media sequence after %s:%n%s", previousMedia, l.text())
                    .isGreaterThanOrEqualTo(previousMedia);
            assertThat(l.discontinuitySequence()).as("discontinuity sequence after %s:%n%s", previousDiscontinuity,
                    l.text()).isGreaterThanOrEqualTo(previousDiscontinuity);
            previousMedia = l.mediaSequence();
            previousDiscontinuity = l.discontinuitySequence();
            l.segments().stream().filter(LivePlaylist.Entry::discontinuity).map(LivePlaylist.Entry::sequence)
                    .filter(s -> !tagged.contains(s)).forEach(tagged::add);
        }
        assertThat(tagged).as("segments after EXT-X-DISCONTINUITY over the whole poll").hasSize(1);
        long join = tagged.getFirst();
        assertThat(join).as("the join, after every segment node-a listed").isGreaterThan(newestBefore);
        Poll firstAfter = servedLocally(polls).getFirst();
        assertThat(firstAfter.playlist().segments().getFirst().sequence()).isEqualTo(join);
        long discontinuityBefore = polls.getFirst().playlist().discontinuitySequence();
        assertThat(firstAfter.playlist().discontinuitySequence()).as("it continues")
                .isGreaterThanOrEqualTo(discontinuityBefore);

        JsonNode all = ResponseJson.of(nodeB.get("/api/events/history?channel_id=cam&types=stream_ended,"
                + "stream_started")).get("events");
        // the history is the cluster's: node-a's own stream_started comes first; node-b's events are the takeover's
        List<JsonNode> events = new ArrayList<>();
        all.forEach(e -> {
            if (e.path("node").asText().equals("node-b")) {
                events.add(e);
            }
        });
        assertThat(events).as(all.toString()).hasSize(2);
        assertThat(events.get(0).path("type").asText()).isEqualTo("stream_ended");
        assertThat(events.get(0).at("/data/reason").asText()).isEqualTo("node_lost");
        assertThat(events.get(0).at("/data/detail").asText()).contains("node-a");
        assertThat(events.get(1).path("type").asText()).isEqualTo("stream_started");
    }

    /** One reload through node-b; answers other than 200 (while nobody serves the channel) are left out. */
    private static void poll(List<Poll> polls) {
        try {
            HttpResponse<String> r = nodeB.get("/live/cam/index.m3u8");
            if (r.statusCode() == 200) {
                polls.add(new Poll(LivePlaylist.parse(r.body()),
                        r.headers().firstValue(ClusterNode.RELAYED_FROM_HEADER)));
            }
        } catch (RuntimeException e) {
            // node-a died mid-answer: the player retries
        }
    }

    private static List<Poll> servedLocally(List<Poll> polls) {
        return polls.stream().filter(p -> p.relayedFrom().isEmpty() && !p.playlist().segments().isEmpty()).toList();
    }

    private static long newest(Poll p) {
        return p.playlist().segments().getLast().sequence();
    }

    /** The first segment after a discontinuity in these playlists (the join), or the largest number when none. */
    private static long joinOf(List<Poll> polls) {
        return polls.stream().flatMap(p -> p.playlist().segments().stream()).filter(LivePlaylist.Entry::discontinuity)
                .mapToLong(LivePlaylist.Entry::sequence).min().orElse(Long.MAX_VALUE - 2);
    }
}
