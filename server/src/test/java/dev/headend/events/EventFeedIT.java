package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event feeds of a real server: SSE with a snapshot first, resume with Last-Event-ID,
 * filters, a listener that never reads, the history, the WebSocket, and their bad inputs.
 * Configuration reloads make events without FFmpeg; stream events need it.
 */
@NeedsFfmpeg
class EventFeedIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestServer server = TestServer.start(TestServer.testChannel("cam", 60),
            Map.of("event_listener_queue", "4"));

    @AfterEach
    void stop() {
        server.close();
    }

    private SseClient sse(String query, String lastEventId) {
        return SseClient.open(http, server.url() + "/api/events" + query, TestServer.ADMIN_TOKEN, lastEventId);
    }

    private void reload() {
        HttpResponse<String> r = server.post("/api/config/reload");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aNewListenerGetsTheRetryHintASnapshotThenStreamEventsAsTheyHappen() {
        try (SseClient feed = sse("", null)) {
            await().atMost(BOUND).until(() -> !feed.messages().isEmpty());
            SseClient.Message snapshot = feed.messages().getFirst();
            assertThat(snapshot.event()).isEqualTo("snapshot");
            assertThat(snapshot.data().get("streams")).isEmpty();
            assertThat(feed.retries()).containsExactly(3000);

            assertThat(server.post("/api/streams/cam/start").statusCode()).isEqualTo(200);
            await().atMost(BOUND).until(() -> !feed.of("stream_started").isEmpty());
            try (SseClient second = sse("", null)) {
                await().atMost(BOUND).until(() -> !second.messages().isEmpty());
                JsonNode streams = second.messages().getFirst().data().get("streams");
                assertThat(streams).hasSize(1);
                assertThat(streams.get(0).get("channel_id").asText()).isEqualTo("cam");
            }
            assertThat(server.post("/api/streams/cam/stop").statusCode()).isEqualTo(200);
            await().atMost(BOUND).until(() -> !feed.of("stream_ended").isEmpty());

            JsonNode started = feed.of("stream_started").getFirst().data();
            JsonNode ended = feed.of("stream_ended").getFirst().data();
            assertThat(started.get("channel_id").asText()).isEqualTo("cam");
            assertThat(started.get("data").get("source").asText()).isEqualTo("test:");
            assertThat(ended.get("data").get("reason").asText()).isEqualTo("stopped");
            assertThat(ended.get("sequence").asLong()).isGreaterThan(started.get("sequence").asLong());
            assertThat(feed.messages()).allSatisfy(m -> {
                if (!m.event().equals("snapshot")) {
                    assertThat(m.id()).isEqualTo(m.data().get("sequence").asLong());
                }
            });
        }
    }

    @Test
    void aListenerThatReconnectsWithLastEventIdGetsWhatItMissedOnceAndNoSnapshot() {
        long seen;
        try (SseClient feed = sse("", null)) {
            reload();
            await().atMost(BOUND).until(() -> feed.of("config_reloaded").size() == 1);
            seen = feed.of("config_reloaded").getFirst().id();
        }
        reload();
        reload();

        try (SseClient again = sse("", Long.toString(seen))) {
            reload();
            await().atMost(BOUND).until(() -> again.of("config_reloaded").size() == 3);
            assertThat(again.of("snapshot")).isEmpty();
            assertThat(again.messages()).extracting(SseClient.Message::id)
                    .containsExactly(seen + 1, seen + 2, seen + 3);
        }
    }

    @Test
    void filtersByTypeAndChannel() {
        try (SseClient reloads = sse("?types=config_reloaded", null);
                SseClient cam = sse("?channel_id=cam", null)) {
            await().atMost(BOUND).until(() -> !reloads.messages().isEmpty() && !cam.messages().isEmpty());
            reload();
            assertThat(server.post("/api/streams/cam/start").statusCode()).isEqualTo(200);
            assertThat(server.post("/api/streams/cam/stop").statusCode()).isEqualTo(200);

            await().atMost(BOUND).until(() -> !cam.of("stream_ended").isEmpty());
            await().atMost(BOUND).until(() -> reloads.of("config_reloaded").size() == 1);
            assertThat(reloads.messages()).extracting(SseClient.Message::event)
                    .containsExactly("snapshot", "config_reloaded");
            assertThat(cam.messages()).extracting(SseClient.Message::event).doesNotContain("config_reloaded")
                    .contains("stream_started", "stream_ended");
        }
    }

    @Test
    void aListenerThatNeverReadsDoesNotHoldTheOthersAndCatchesUpFromTheStoreLater() throws Exception {
        int events = 400;
        HttpResponse<InputStream> stalled = SseClient.stalled(http, server.url() + "/api/events",
                TestServer.ADMIN_TOKEN);
        try (SseClient reader = sse("", null)) {
            await().atMost(BOUND).until(() -> !reader.messages().isEmpty());
            for (int i = 0; i < events; i++) {
                server.server().events().publishServerEvent(new EventData.WebhookTest("load-" + i));
            }

            // queues of 4 overflow at this rate: a listener may get gaps, and then resumes from the store
            await().atMost(BOUND).until(() -> reader.of("webhook_test").size() == events);
            assertThat(reader.of("webhook_test")).extracting(SseClient.Message::id).isSorted()
                    .doesNotHaveDuplicates();
        }
        try (SseClient late = SseClient.of(stalled)) {
            await().atMost(BOUND).until(() -> late.of("webhook_test").size() == events);
            assertThat(late.of("webhook_test")).extracting(SseClient.Message::id).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void historyPagesThroughStoredEventsWithFilters() {
        for (int i = 0; i < 5; i++) {
            reload();
        }
        await().atMost(BOUND).until(() -> ResponseJson.of(server.get("/api/events/history")).get("events").size() == 5);

        JsonNode page = ResponseJson.of(server.get("/api/events/history?after=0&limit=2"));
        assertThat(page.get("events")).hasSize(2);
        long next = page.get("next_after").asLong();
        JsonNode rest = ResponseJson.of(server.get("/api/events/history?after=" + next + "&limit=10"));
        assertThat(rest.get("events")).hasSize(3);
        assertThat(rest.get("last_sequence").asLong()).isEqualTo(5);
        assertThat(rest.get("events").get(0).get("sequence").asLong()).isEqualTo(next + 1);
        assertThat(ResponseJson.of(server.get("/api/events/history?types=stream_started")).get("events")).isEmpty();
    }

    @Test
    void aViewersSessionIsAnEventWhenItStartsAndWhenItEnds() {
        URI player = server.openSession("cam").uri();
        String id = ResponseJson.of(server.get("/api/sessions")).at("/sessions/0/id").asText();
        HttpResponse<String> kicked = server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/sessions/" + id))
                .DELETE());
        assertThat(kicked.statusCode()).as(kicked.body()).isEqualTo(200);

        JsonNode events = await().atMost(BOUND).until(() -> ResponseJson.of(server.get(
                "/api/events/history?types=session_started,session_ended")).get("events"), e -> e.size() == 2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("session_started");
        assertThat(events.get(0).get("channel_id").asText()).isEqualTo("cam");
        assertThat(events.get(0).at("/data/session_id").asText()).isEqualTo(id);
        assertThat(events.get(0).at("/data/protocol").asText()).isEqualTo("hls");
        assertThat(events.get(1).get("type").asText()).isEqualTo("session_ended");
        assertThat(events.get(1).at("/data/session_id").asText()).isEqualTo(id);
        assertThat(events.get(1).at("/data/duration_seconds").asDouble()).isNotNegative();
        assertThat(events.toString()).as("the session's token is in no event")
                .doesNotContain(player.getQuery().substring("s=".length()));
    }

    @Test
    void badParametersAreRefusedWithTheirReason() {
        assertError(server.get("/api/events?types=nope"), 400, "invalid_filter");
        assertError(server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/events"))
                .header("Last-Event-ID", "abc")), 400, "invalid_last_event_id");
        assertError(server.get("/api/events?last_event_id=-3"), 400, "invalid_last_event_id");
        assertError(server.get("/api/events/history?after=x"), 400, "invalid_parameter");
        assertError(server.get("/api/events/history?limit=0"), 400, "invalid_parameter");
        assertError(server.get("/api/events/history?limit=1001"), 400, "invalid_parameter");
        assertError(server.get("/api/events/history?types=stream_exploded"), 400, "invalid_filter");
        assertError(server.anonymous(HttpRequest.newBuilder(URI.create(server.url() + "/api/events"))), 401,
                "unauthorized");
        assertError(server.anonymous(HttpRequest.newBuilder(URI.create(server.url() + "/ws/events"))), 401,
                "unauthorized");
        assertError(server.send(HttpRequest.newBuilder(URI.create(server.url() + "/ws/events"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)), 400, "websocket_required");
        assertThat(ResponseJson.of(server.get("/api/events/history")).get("events")).as("nothing happened").isEmpty();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(ResponseJson.of(r).get("error").get("code").asText()).isEqualTo(code);
    }

    @Test
    void theWebSocketFeedCarriesTheSameMessages() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .buildAsync(URI.create(server.url().replace("http", "ws") + "/ws/events?types=config_reloaded"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    received.add(ResponseJson.of(text.toString()));
                                    text.setLength(0);
                                }
                                socket.request(1);
                                return CompletableFuture.completedFuture(null);
                            }
                        }).get();
        try {
            await().atMost(BOUND).until(() -> !received.isEmpty());
            reload();
            await().atMost(BOUND).until(() -> received.size() == 2);
            assertThat(received.get(0).get("type").asText()).isEqualTo("snapshot");
            assertThat(received.get(1).get("type").asText()).isEqualTo("config_reloaded");
            assertThat(received.get(1).get("event_id").asText()).isNotEmpty();
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get();
        }
    }

    @Test
    void aWebSocketWithoutTheTokenIsRefused() {
        assertThat(http.newWebSocketBuilder().buildAsync(URI.create(server.url().replace("http", "ws")
                + "/ws/events"), new WebSocket.Listener() { }))
                .failsWithin(BOUND).withThrowableOfType(ExecutionException.class);
    }
}
