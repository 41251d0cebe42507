package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The cluster's events on one real {@code redis-server}: its stream through the store, then two
 * Headend nodes, each a JVM of its own, with one webhook receiver configured on both. A listener
 * at node A hears node B's stream start; an id heard at A resumes at B with exactly the events
 * after it; the receiver gets each event of either node once; while Redis is down a node's
 * events reach its own listeners, and come again with cluster ids when Redis is back.
 */
@NeedsFfmpeg
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated("two server processes, a Redis and pipelines: they load the machine")
class ClusterEventsIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String TYPES = "stream_started,stream_ended";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RedisProcess redis;
    private static HttpServer receiver;
    private static final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private static NodeProcess nodeA;
    private static NodeProcess nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = new RedisProcess().start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            delivered.add(ResponseJson.of(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String channels = TestServer.testChannel("alpha", 600) + TestServer.testChannel("beta", 600);
        nodeA = NodeProcess.start("node-a", Map.of("redis_url", redis.url()), channels);
        nodeB = NodeProcess.start("node-b", Map.of("redis_url", redis.url()), channels);
        for (NodeProcess n : List.of(nodeA, nodeB)) {
            n.awaitRunning();
            HttpResponse<String> r = send(n, HttpRequest.newBuilder(URI.create(n.url() + "/api/webhooks"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"id": "orchestrator", "url": "http://127.0.0.1:%d/hook", "events": ["stream_started", "stream_ended"]}"""
                            .formatted(receiver.getAddress().getPort()))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (NodeProcess n : new NodeProcess[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static HttpResponse<String> send(NodeProcess n, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void theStoreAppendsEachEventOnceAndReadsAfterAnId() throws Exception {
        // a Redis of its own: the probe's events must not reach the nodes' feeds
        try (RedisProcess own = new RedisProcess().start();
                ClusterStore store = RedisClusterStore.open(RedisAddress.parse(own.url()))) {
            // the first connection may take longer than a command's timeout on a loaded machine
            await().atMost(BOUND).alias("the store connected").ignoreExceptions().until(() -> store.lastEventId() != null);
            StreamId before = store.lastEventId();
            List<ClusterStore.NodeEvent> events = List.of(
                    new ClusterStore.NodeEvent(1, "stream_started", Optional.of("cam"), "{\"n\":1}"),
                    new ClusterStore.NodeEvent(2, "config_reloaded", Optional.empty(), "{\"n\":2}"));
            assertThat(store.appendEvents("probe", events)).isEqualTo(2);
            assertThat(store.appendEvents("probe", events)).as("a retry").isZero();
            assertThat(store.eventsAppended("probe")).isEqualTo(2);

            ClusterStore.EventPage page = store.eventsAfter(before, 10);
            assertThat(page.afterKept()).isTrue();
            assertThat(page.entries()).extracting(e -> e.node() + ":" + e.event().sequence() + ":" + e.event().type()
                    + ":" + e.event().channelId().orElse("-") + ":" + e.event().json())
                    .containsExactly("probe:1:stream_started:cam:{\"n\":1}", "probe:2:config_reloaded:-:{\"n\":2}");
            StreamId first = page.entries().getFirst().id();
            assertThat(store.eventsAfter(first, 10).entries()).hasSize(1);
            assertThat(store.lastEventId()).isEqualTo(page.entries().getLast().id());
            assertThat(store.eventsAfter(new StreamId(first.millis() - 1, 0), 10).afterKept())
                    .as("an id the stream does not hold").isFalse();
            store.forgetEventsAppended("probe");
            assertThat(store.eventsAppended("probe")).isZero();
        }
    }

    @Test
    @Order(2)
    void aListenerAtOneNodeHearsAnotherNodesEventsAndAnIdHeardThereResumesAtTheOther() throws Exception {
        try (Sse atA = Sse.open(nodeA, "/api/events?types=" + TYPES, null)) {
            await().atMost(BOUND).until(() -> !atA.of("snapshot").isEmpty());
            assertThat(nodeB.post("/api/streams/alpha/start").statusCode()).isEqualTo(200);
            await().atMost(BOUND).alias("node B's stream_started heard at node A").until(() -> !atA.of("stream_started")
                    .isEmpty());
            Sse.Message started = atA.of("stream_started").getFirst();
            assertThat(started.data().path("channel_id").asText()).as("%s", atA.messages()).isEqualTo("alpha");
            assertThat(started.data().path("node").asText()).isEqualTo("node-b");
            assertThat(started.id()).matches("\\d+-\\d+");

            assertThat(nodeB.post("/api/streams/alpha/stop").statusCode()).isEqualTo(200);
            assertThat(nodeA.post("/api/streams/beta/start").statusCode()).isEqualTo(200);
            await().atMost(BOUND).alias("three events at A").until(() -> atA.of("stream_started").size() == 2
                    && atA.of("stream_ended").size() == 1);
            List<Sse.Message> heardAfter = atA.events().subList(1, 3);

            try (Sse atB = Sse.open(nodeB, "/api/events?types=" + TYPES, started.id())) {
                await().atMost(BOUND).alias("the resume at B").until(() -> atB.events().size() >= 2);
                assertThat(atB.messages()).as("no snapshot when resuming").noneMatch(m -> m.event().equals("snapshot")
                        || m.event().equals("gap"));
                assertThat(atB.events()).extracting(Sse.Message::id, m -> m.data().path("event_id").asText())
                        .isEqualTo(heardAfter.stream().map(m -> org.assertj.core.groups.Tuple.tuple(m.id(),
                                m.data().path("event_id").asText())).toList());
            }
            HttpResponse<String> history = nodeB.get("/api/events/history?types=" + TYPES + "&after=" + started.id());
            assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
            assertThat(ResponseJson.of(history).path("events")).extracting(e -> e.path("event_id").asText())
                    .containsExactlyElementsOf(heardAfter.stream().map(m -> m.data().path("event_id").asText()).toList());
            HttpResponse<String> bad = nodeB.get("/api/events?last_event_id=17");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_last_event_id");
        }
        assertThat(nodeA.post("/api/streams/beta/stop").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aReceiverConfiguredOnBothNodesGetsEachEventOnce() {
        // two streams started and ended, one on each node: four events
        await().atMost(BOUND).alias("both nodes' outboxes delivered").until(() -> pending(nodeA) == 0
                && pending(nodeB) == 0 && delivered.size() >= 4);
        List<String> ids = delivered.stream().map(d -> d.path("event_id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(4);
        assertThat(delivered).extracting(d -> d.path("node").asText() + ":" + d.path("type").asText() + ":"
                + d.path("channel_id").asText()).containsExactlyInAnyOrder("node-b:stream_started:alpha",
                "node-b:stream_ended:alpha", "node-a:stream_started:beta", "node-a:stream_ended:beta");
    }

    @Test
    @Order(4)
    void whileRedisIsDownANodesEventsReachItsListenersThenComeAgainWithClusterIds() throws Exception {
        try (Sse atA = Sse.open(nodeA, "/api/events?types=webhook_test", null)) {
            await().atMost(BOUND).until(() -> !atA.of("snapshot").isEmpty());
            redis.stop();
            await().atMost(BOUND).alias("told Redis is gone").until(() -> !atA.of("cluster_unavailable").isEmpty());
            // the feed's position when Redis went (events of other types may have moved it since the snapshot)
            String before = atA.of("cluster_unavailable").getFirst().id();

            HttpResponse<String> test = nodeA.post("/api/webhooks/orchestrator/test");
            assertThat(test.statusCode()).as(test.body()).isEqualTo(202);
            String eventId = ResponseJson.of(test).path("event_id").asText();
            await().atMost(BOUND).alias("the event, stored here, heard here").until(() -> !atA.of("webhook_test")
                    .isEmpty());
            Sse.Message aside = atA.of("webhook_test").getFirst();
            assertThat(aside.data().path("event_id").asText()).isEqualTo(eventId);
            assertThat(aside.id()).as("no cluster id yet: the last one stays").isEqualTo(before);

            redis.start(); // empty: the stream is gone, and the feed says so
            await().atMost(BOUND).alias("the event again, from the stream").until(() -> atA.of("webhook_test")
                    .size() == 2);
            assertThat(atA.messages()).extracting(Sse.Message::event).containsSubsequence("cluster_unavailable",
                    "webhook_test", "cluster_restored", "webhook_test");
            Sse.Message again = atA.of("webhook_test").get(1);
            assertThat(again.data().path("event_id").asText()).isEqualTo(eventId);
            assertThat(again.id()).matches("\\d+-\\d+").isNotEqualTo(before);
        }
    }

    private static int pending(NodeProcess n) {
        HttpResponse<String> r = n.get("/api/webhooks");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResponseJson.of(r).path("webhooks").get(0).path("pending").asInt();
    }

    /** A Server-Sent Events client keeping every message with its id as text. */
    private static final class Sse implements AutoCloseable {
        record Message(String id, String event, JsonNode data) {}

        private final HttpResponse<InputStream> response;
        private final List<Message> messages = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Sse(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(this::read);
        }

        static Sse open(NodeProcess n, String path, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.url() + path))
                    .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            return new Sse(r);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String id = "";
                String event = "message";
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            messages.add(new Message(id, event, ResponseJson.of(data.toString())));
                        }
                        event = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (IOException closed) {
                // the test closed it
            }
        }

        List<Message> messages() {
            return List.copyOf(messages);
        }

        List<Message> of(String type) {
            return messages.stream().filter(m -> m.event().equals(type)).toList();
        }

        /** The events heard (not the snapshot, gaps or notices). */
        List<Message> events() {
            return messages.stream().filter(m -> m.event().startsWith("stream_")).toList();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                response.body().close();
            } catch (IOException e) {
                // already closed
            }
            reader.interrupt();
            reader.join(Duration.ofSeconds(5));
        }
    }
}
