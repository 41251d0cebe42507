package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LogCapture;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestImages;
import dev.headend.support.TestServer;
import dev.headend.support.WsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay over real WebSockets: messages, framing, validation, one publisher per stream, slow viewers. */
@NeedsFfmpeg
class RelayIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("", Map.of("relay_max_frame_bytes", "300000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient connect(String path) throws Exception {
        return WsClient.connect(WsClient.url(server, path));
    }

    private static void awaitPublished(String id) {
        Awaitility.await().atMost(BOUND).until(() -> server.server().relay().streams().stream()
                .anyMatch(s -> s.id().equals(id)));
    }

    @Test
    void aViewerIsGreetedWithTheActiveStreamsThenGetsTheLatestFrameAtOnce() throws Exception {
        try (WsClient publisher = connect("/ws/publish/greet")) {
            publisher.awaitType("publishing");
            publisher.sendBinary(TestImages.jpeg(640, 360, 2000));
            byte[] second = TestImages.png(320, 240);
            publisher.sendBinary(second);
            Awaitility.await().atMost(BOUND).until(() -> server.server().relay().streams().stream()
                    .anyMatch(s -> s.id().equals("greet") && s.framesIn() == 2));

            try (WsClient viewer = connect("/ws/watch/greet"); WsClient all = connect("/ws/watch")) {
                JsonNode hello = viewer.awaitType("viewer_connected");
                assertThat(viewer.texts.getFirst()).isEqualTo(hello);
                assertThat(hello.path("viewer_id").asLong()).isPositive();
                JsonNode listed = hello.path("active_streams").get(0);
                assertThat(hello.path("active_streams")).hasSize(1);
                assertThat(listed.path("id").asText()).isEqualTo("greet");
                assertThat(listed.path("width").asInt()).isEqualTo(320);
                assertThat(listed.path("height").asInt()).isEqualTo(240);
                assertThat(listed.path("started_at").asText()).isNotEmpty();
                assertThat(listed.has("fps")).isTrue();
                assertThat(listed.path("viewers").asInt()).isGreaterThanOrEqualTo(1);
                Awaitility.await().atMost(BOUND).until(() -> !viewer.frames.isEmpty());
                WsClient.Received latest = viewer.frames.getFirst();
                assertThat(latest.streamId()).isEqualTo("greet");
                assertThat(latest.sequence()).isEqualTo(2);
                assertThat(latest.image()).isEqualTo(second);

                assertThat(all.awaitType("viewer_connected").path("active_streams").findValuesAsText("id"))
                        .contains("greet");
                Awaitility.await().atMost(BOUND).until(() -> !all.frames.isEmpty());

                publisher.sendBinary(TestImages.jpeg(640, 360, 3000));
                Awaitility.await().atMost(BOUND).until(() -> viewer.frames.size() == 2 && all.frames.stream()
                        .anyMatch(f -> f.streamId().equals("greet") && f.sequence() == 3));
                assertThat(viewer.frames.get(1).image()).hasSize(3000);
            }
        }
    }

    @Test
    void dataUrlFramesAreRelayedAsBinaryAndPingIsAnswered() throws Exception {
        try (WsClient viewer = connect("/ws/watch/dataurl"); WsClient publisher = connect("/ws/publish/dataurl")) {
            viewer.awaitType("stream_started");
            byte[] image = TestImages.jpeg(64, 48, 500);
            publisher.sendText("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(image));
            publisher.sendText("{\"type\": \"ping\"}");
            viewer.sendText("{\"type\": \"ping\"}");

            publisher.awaitType("pong");
            viewer.awaitType("pong");
            Awaitility.await().atMost(BOUND).until(() -> !viewer.frames.isEmpty());
            assertThat(viewer.frames.getFirst().image()).isEqualTo(image);
            assertThat(publisher.ofType("invalid_frame")).isEmpty();
        }
    }

    @Test
    void invalidFramesOfEachKindAreSkippedAndTheTenthInARowClosesThePublisher() throws Exception {
        try (LogCapture log = new LogCapture(); WsClient viewer = connect("/ws/watch/bad");
                WsClient publisher = connect("/ws/publish/bad")) {
            viewer.awaitType("stream_started");
            byte[] noSignature = new byte[100];
            Arrays.fill(noSignature, (byte) 7);
            List<Runnable> bad = List.of(
                    () -> publisher.sendBinary(new byte[0]),
                    () -> publisher.sendBinary(noSignature),
                    () -> publisher.sendBinary(TestImages.jpeg(10, 10, 300_001)),
                    () -> publisher.sendText(""),
                    () -> publisher.sendText("hello"),
                    () -> publisher.sendText("data:text/plain;base64,aGVsbG8="),
                    () -> publisher.sendText("data:image/jpeg;base64,***"),
                    () -> publisher.sendText("data:image/png;base64," + Base64.getEncoder().encodeToString(noSignature)),
                    () -> publisher.sendText("{\"type\": \"dance\"}"));
            for (Runnable send : bad) {
                send.run();
            }
            Awaitility.await().atMost(BOUND).until(() -> publisher.ofType("invalid_frame").size() == 9);
            List<String> reasons = publisher.ofType("invalid_frame").stream().map(t -> t.path("reason").asText())
                    .toList();
            assertThat(reasons.get(0)).isEqualTo("empty frame");
            assertThat(reasons.get(1)).startsWith("no image signature");
            assertThat(reasons.get(2)).isEqualTo("frame of 300001 bytes is over the limit of 300000 bytes");
            assertThat(reasons.get(3)).isEqualTo("empty frame");
            assertThat(reasons.get(4)).isEqualTo("text frame is not a data:image/...;base64, URL");
            assertThat(reasons.get(5)).isEqualTo("text frame is not a data:image/...;base64, URL");
            assertThat(reasons.get(6)).isEqualTo("data URL is not valid base64");
            assertThat(reasons.get(7)).startsWith("no image signature");
            assertThat(reasons.get(8)).startsWith("unknown control message");
            assertThat(publisher.ofType("invalid_frame").get(8).path("in_row").asInt()).isEqualTo(9);
            assertThat(publisher.closed).isNotDone();
            assertThat(viewer.frames).isEmpty();
            assertThat(server.server().relay().streams()).filteredOn(s -> s.id().equals("bad"))
                    .singleElement().satisfies(s -> {
                        assertThat(s.invalidFrames()).isEqualTo(9);
                        assertThat(s.framesIn()).isZero();
                    });

            publisher.sendBinary(noSignature);

            assertThat(publisher.awaitClose()).isEqualTo(1003);
            assertThat(publisher.closeReason()).isEqualTo("10 invalid frames in a row");
            assertThat(viewer.awaitType("stream_ended").path("reason").asText()).isEqualTo("too_many_invalid_frames");
            assertThat(viewer.frames).isEmpty();
            assertThat(log.text()).contains("relay stream bad: invalid frame skipped (empty frame)");
        }
    }

    @Test
    void aValidFrameResetsTheInvalidCount() throws Exception {
        try (WsClient publisher = connect("/ws/publish/reset")) {
            publisher.awaitType("publishing");
            for (int i = 0; i < 9; i++) {
                publisher.sendBinary(new byte[] {1, 2, 3});
            }
            publisher.sendBinary(TestImages.jpeg(8, 8, 100));
            for (int i = 0; i < 9; i++) {
                publisher.sendBinary(new byte[] {1, 2, 3});
            }
            Awaitility.await().atMost(BOUND).until(() -> publisher.ofType("invalid_frame").size() == 18);
            assertThat(publisher.ofType("invalid_frame").get(17).path("in_row").asInt()).isEqualTo(9);
            assertThat(publisher.closed).isNotDone();
        }
    }

    @Test
    void aSecondPublisherIsRefusedUntilTheFirstIsGone() throws Exception {
        try (WsClient first = connect("/ws/publish/twice")) {
            first.awaitType("publishing");
            try (WsClient second = connect("/ws/publish/twice")) {
                assertThat(second.awaitClose()).isEqualTo(1008);
                assertThat(second.closeReason()).isEqualTo("stream twice already has a publisher");
                assertThat(second.ofType("publishing")).isEmpty();
            }
            first.sendBinary(TestImages.jpeg(8, 8, 100));
            Awaitility.await().atMost(BOUND).until(() -> server.server().relay().streams().stream()
                    .anyMatch(s -> s.id().equals("twice") && s.framesIn() == 1));
            first.sendText("{\"type\":\"ping\"}");
            first.awaitType("pong");
            assertThat(first.closed).isNotDone();
        }
        Awaitility.await().atMost(BOUND).until(() -> server.server().relay().streams().stream()
                .noneMatch(s -> s.id().equals("twice")));
        try (WsClient third = connect("/ws/publish/twice")) {
            third.awaitType("publishing");
        }
    }

    @Test
    void everyViewerIsToldWhenAStreamEnds() throws Exception {
        List<WsClient> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                viewers.add(connect("/ws/watch/ending"));
            }
            viewers.add(connect("/ws/watch"));
            try (WsClient publisher = connect("/ws/publish/ending")) {
                publisher.awaitType("publishing");
                publisher.sendBinary(TestImages.jpeg(8, 8, 100));
                for (WsClient v : viewers) {
                    Awaitility.await().atMost(BOUND).until(() -> v.frames.stream()
                            .anyMatch(f -> f.streamId().equals("ending")));
                }
            }
            for (WsClient v : viewers) {
                JsonNode ended = v.awaitText(t -> t.path("type").asText().equals("stream_ended")
                        && t.path("stream_id").asText().equals("ending"));
                assertThat(ended.path("reason").asText()).isEqualTo("closed");
            }
        } finally {
            viewers.forEach(WsClient::close);
        }
    }

    @Test
    void theOverviewListsPublishedStreamsWithTheirStartTimeAndTheirViewers() throws Exception {
        try (WsClient publisher = connect("/ws/publish/listed"); WsClient viewer = connect("/ws/watch/listed")) {
            publisher.awaitType("publishing");
            viewer.awaitType("viewer_connected");
            publisher.sendBinary(TestImages.png(320, 240));
            Awaitility.await().atMost(BOUND).until(() -> !viewer.frames.isEmpty());

            HttpResponse<String> overview = server.get("/api/relay");
            assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
            JsonNode stream = ResponseJson.of(overview).path("streams").findParents("id").stream()
                    .filter(s -> s.path("id").asText().equals("listed")).findFirst().orElseThrow();
            assertThat(Instant.parse(stream.path("started_at").asText())).isBeforeOrEqualTo(Instant.now());
            assertThat(stream.path("width").asInt()).isEqualTo(320);
            assertThat(stream.path("frames_in").asLong()).isEqualTo(1);
            assertThat(ResponseJson.of(overview).path("viewers").findValuesAsText("stream_id")).contains("listed");
        }
    }

    @Test
    void anOperatorCanEndAStream() throws Exception {
        try (WsClient viewer = connect("/ws/watch/kicked"); WsClient publisher = connect("/ws/publish/kicked")) {
            publisher.awaitType("publishing");
            HttpResponse<String> kick = server.send(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/relay/streams/kicked")).DELETE());
            assertThat(kick.statusCode()).isEqualTo(204);
            assertThat(publisher.awaitClose()).isEqualTo(1008);
            assertThat(viewer.awaitType("stream_ended").path("reason").asText()).isEqualTo("kicked");

            HttpResponse<String> again = server.send(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/relay/streams/kicked")).DELETE());
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(ResponseJson.of(again).at("/error/code").asText()).isEqualTo("stream_not_published");
        }
    }

    @Test
    void aViewerThatStopsReadingIsDroppedWhileTheOthersKeepTheirFrames() throws Exception {
        try (WsClient frozen = connect("/ws/watch/frozen"); WsClient healthy = connect("/ws/watch/frozen");
                WsClient publisher = connect("/ws/publish/frozen")) {
            healthy.awaitType("stream_started");
            frozen.awaitType("stream_started");
            frozen.stopReading();
            long frozenId = server.server().relay().viewers().stream().filter(v -> "frozen".equals(v.streamId()))
                    .mapToLong(Relay.ViewerView::viewerId).min().orElseThrow();
            byte[] big = TestImages.jpeg(1920, 1080, 250_000);
            int sent = 0;
            while (server.server().relay().viewers().stream().anyMatch(v -> v.viewerId() == frozenId)) {
                publisher.sendBinary(big);
                sent++;
                int expected = sent;
                Awaitility.await().atMost(BOUND).until(() -> healthy.frames.size() >= expected);
                assertThat(sent).as("frames sent before the frozen viewer was dropped").isLessThan(2000);
            }
            int before = healthy.frames.size();
            for (int i = 0; i < 5; i++) {
                publisher.sendBinary(big);
            }
            Awaitility.await().atMost(BOUND).until(() -> healthy.frames.size() >= before + 5);
            assertThat(healthy.frames).extracting(WsClient.Received::sequence)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, sent + 5).boxed().toList());
            assertThat(server.server().relay().counters().viewersRemoved()).isPositive();
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnyUpgrade() throws Exception {
        HttpResponse<String> plain = server.anonymous(HttpRequest.newBuilder(URI.create(server.url()
                + "/ws/watch/x")).GET());
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(ResponseJson.of(plain).at("/error/code").asText()).isEqualTo("upgrade_required");

        assertThatThrownBy(() -> connect("/ws/publish/Bad.Id"))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(400));
        assertThat(server.server().relay().streams()).noneMatch(s -> s.id().equalsIgnoreCase("bad.id"));

        HttpResponse<String> token = server.post("/api/relay/streams/cam/publish-token");
        assertThat(token.statusCode()).isEqualTo(409);
        assertThat(ResponseJson.of(token).at("/error/code").asText()).isEqualTo("publish_secret_unset");
    }
}
