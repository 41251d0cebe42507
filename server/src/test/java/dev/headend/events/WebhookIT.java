package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.security.Secret;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks of a real server to receivers in the test: Bearer token and signature as a receiver
 * checks them, the stream_id round trip, a receiver down for a while, one that never accepts
 * (dead), the API's counts and test sends.
 */
@NeedsFfmpeg
class WebhookIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TOKEN = "orchestrator-token-0123456789";
    private static final String SECRET = "orchestrator-signing-secret-01";
    private final TestReceiver orchestrator = new TestReceiver();
    private final TestReceiver broken = new TestReceiver();
    private TestServer server;

    private void start() {
        start("24h");
    }

    /** @param giveUp {@code webhook_give_up_seconds}: short only where the test wants deliveries to die */
    private void start(String giveUp) {
        server = TestServer.start(TestServer.testChannel("cam", 60), Map.of("webhook_backoff_max_seconds", "2s",
                "webhook_give_up_seconds", giveUp), """
                webhooks:
                  - id: orchestrator
                    url: %s
                    token: %s
                    secret: %s
                  - id: broken
                    url: %s
                    events: [config_reloaded]
                    timeout_seconds: 2
                """.formatted(orchestrator.url(), TOKEN, SECRET, broken.url()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        orchestrator.close();
        broken.close();
    }

    @Test
    void deliveriesCarryTheTokenAndASignatureTheReceiverCanCheckAndItsStreamIdComesBack() {
        orchestrator.answer(d -> d.type().equals("stream_started")
                ? new TestReceiver.Answer(201, "{\"stream_id\": \"orc-77\"}")
                : new TestReceiver.Answer(200, "{}"));
        start();

        assertThat(server.post("/api/streams/cam/start").statusCode()).isEqualTo(200);
        await().atMost(BOUND).until(() -> orchestrator.of("stream_started").size() == 1);
        assertThat(server.post("/api/streams/cam/stop").statusCode()).isEqualTo(200);
        await().atMost(BOUND).until(() -> orchestrator.of("stream_ended").size() == 1);

        for (TestReceiver.Delivery d : orchestrator.deliveries()) {
            assertThat(d.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(d.idempotencyKey()).isEqualTo(d.eventId());
            String t = d.signature().split(",")[0].substring(2);
            assertThat(d.signature()).isEqualTo(WebhookSignature.of(Secret.of(SECRET), Long.parseLong(t),
                    d.rawBody().getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode started = orchestrator.of("stream_started").getFirst().body();
        JsonNode ended = orchestrator.of("stream_ended").getFirst().body();
        assertThat(started.get("data").has("receiver_stream_id")).isFalse();
        assertThat(ended.get("data").get("receiver_stream_id").asText()).isEqualTo("orc-77");
        assertThat(ended.get("data").get("reason").asText()).isEqualTo("stopped");
        assertThat(broken.deliveries()).as("broken only wants config_reloaded").isEmpty();
    }

    @Test
    void aReceiverDownForAWhileGetsEveryEventOnceAndInOrderWhenItIsBack() {
        start();
        orchestrator.down();
        int sent = 20;
        for (int i = 0; i < sent; i++) {
            assertThat(server.post("/api/config/reload").statusCode()).isEqualTo(200);
        }
        await().atMost(BOUND).until(() -> webhook("orchestrator").get("failed_attempts").asLong() >= 2
                && webhook("orchestrator").get("pending").asLong() == sent);
        assertThat(webhook("orchestrator").get("last_error").asText()).contains("ConnectException");

        orchestrator.up();

        await().atMost(BOUND).until(() -> orchestrator.deliveries().size() >= sent
                && webhook("orchestrator").get("pending").asLong() == 0);
        List<Long> sequences = orchestrator.deliveries().stream().map(TestReceiver.Delivery::sequence).toList();
        Set<String> ids = new HashSet<>(orchestrator.deliveries().stream().map(TestReceiver.Delivery::eventId)
                .toList());
        assertThat(sequences).hasSize(sent).isSorted().doesNotHaveDuplicates();
        assertThat(ids).hasSize(sent);
        assertThat(webhook("orchestrator").get("delivered").asLong()).isEqualTo(sent);
    }

    @Test
    void aReceiverThatNeverAcceptsIsGivenUpAndShownDead() {
        broken.answer(d -> new TestReceiver.Answer(500, "{\"error\": \"boom\"}"));
        start("3s");

        assertThat(server.post("/api/config/reload").statusCode()).isEqualTo(200);

        await().atMost(BOUND).until(() -> webhook("broken").get("dead").asLong() == 1);
        JsonNode b = webhook("broken");
        assertThat(b.get("pending").asLong()).isZero();
        assertThat(b.get("delivered").asLong()).isZero();
        assertThat(b.get("last_error").asText()).isEqualTo("HTTP 500");
        assertThat(b.get("failed_attempts").asLong()).isGreaterThanOrEqualTo(2);
        await().atMost(BOUND).until(() -> orchestrator.of("config_reloaded").size() == 1);
    }

    @Test
    void theApiListsReceiversWithoutTheirSecretsAndSendsTestEvents() {
        start();

        JsonNode list = ResponseJson.of(server.get("/api/webhooks"));
        assertThat(list.toString()).doesNotContain(TOKEN).doesNotContain(SECRET);
        JsonNode o = webhook("orchestrator");
        assertThat(o.get("url").asText()).isEqualTo(orchestrator.url());
        assertThat(o.get("has_token").asBoolean()).isTrue();
        assertThat(o.get("has_secret").asBoolean()).isTrue();
        assertThat(webhook("broken").get("events").get(0).asText()).isEqualTo("config_reloaded");

        var accepted = server.post("/api/webhooks/orchestrator/test");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String eventId = ResponseJson.of(accepted).get("event_id").asText();
        await().atMost(BOUND).until(() -> orchestrator.of("webhook_test").size() == 1);
        assertThat(orchestrator.of("webhook_test").getFirst().eventId()).isEqualTo(eventId);
        assertThat(broken.deliveries()).isEmpty();

        var unknown = server.post("/api/webhooks/nope/test");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ResponseJson.of(unknown).get("error").get("code").asText()).isEqualTo("unknown_webhook");
        assertThat(ResponseJson.of(server.get("/api/events/history")).get("events")).as("nothing queued")
                .hasSize(1);
    }

    private JsonNode webhook(String id) {
        JsonNode list = ResponseJson.of(server.get("/api/webhooks")).get("webhooks");
        return StreamSupport.stream(list.spliterator(), false).filter(w -> w.get("id").asText().equals(id))
                .findFirst().orElseThrow();
    }
}
