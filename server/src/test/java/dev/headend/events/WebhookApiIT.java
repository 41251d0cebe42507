package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.security.Secret;
import dev.headend.support.LogCapture;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Webhook receivers through the API: added, listed with their origin and without their secrets,
 * sent real events with their token and signature, kept across a restart, changed, removed with
 * their pending deliveries; the configuration file's receivers are read-only, and a receiver no longer
 * configured loses its pending deliveries at the next start.
 */
@NeedsFfmpeg
class WebhookApiIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TOKEN = "api-receiver-token-0123456789";
    private static final String SECRET = "api-receiver-signing-secret-01";
    private final TestReceiver fileReceiver = new TestReceiver();
    private final TestReceiver apiReceiver = new TestReceiver();
    private TestServer server;

    private static String fileWebhooks(TestReceiver receiver) {
        return """
                webhooks:
                  - id: from-file
                    url: %s
                """.formatted(receiver.url());
    }

    private void start(Map<String, String> settings, String webhooksYaml) {
        server = TestServer.start("", settings, webhooksYaml);
    }

    private void start() {
        start(Map.of("webhook_backoff_max_seconds", "2s"), fileWebhooks(fileReceiver));
    }

    /** Stops the server and starts another on the same data directory. */
    private void restart(String webhooksYaml) {
        String dataDir = server.dataDir().toString();
        server.close();
        start(Map.of("data_dir", dataDir, "webhook_backoff_max_seconds", "2s"), webhooksYaml);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fileReceiver.close();
        apiReceiver.close();
    }

    @Test
    void anAddedReceiverIsListedWithoutItsSecretsAndGetsTheEventsStoredAfterItWithTokenAndSignature() {
        start();
        reload();
        await().atMost(BOUND).until(() -> fileReceiver.of("config_reloaded").size() == 1);

        HttpResponse<String> created = create("""
                {"id": "orchestrator", "url": "%s", "token": "%s", "secret": "%s", "events": ["config_reloaded"],
                 "timeout_seconds": 5}""".formatted(apiReceiver.url(), TOKEN, SECRET));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(TOKEN).doesNotContain(SECRET);
        JsonNode body = ResponseJson.of(created);
        assertThat(body.get("id").asText()).isEqualTo("orchestrator");
        assertThat(body.get("origin").asText()).isEqualTo("api");
        assertThat(body.get("url").asText()).isEqualTo(apiReceiver.url());
        assertThat(body.get("has_token").asBoolean()).isTrue();
        assertThat(body.get("has_secret").asBoolean()).isTrue();
        assertThat(body.get("events").get(0).asText()).isEqualTo("config_reloaded");
        assertThat(body.get("timeout_seconds").asInt()).isEqualTo(5);
        assertThat(server.get("/api/webhooks").body()).doesNotContain(TOKEN).doesNotContain(SECRET);
        assertThat(webhook("from-file").orElseThrow().get("origin").asText()).isEqualTo("file");
        assertThat(webhook("orchestrator").orElseThrow().get("origin").asText()).isEqualTo("api");

        reload();

        await().atMost(BOUND).until(() -> apiReceiver.of("config_reloaded").size() == 1
                && webhook("orchestrator").orElseThrow().get("delivered").asLong() == 1);
        TestReceiver.Delivery d = apiReceiver.of("config_reloaded").getFirst();
        assertThat(d.sequence()).as("the reload before it was added is not sent to it").isEqualTo(2);
        assertSignedWithTokenAndSecret(d);
        assertThat(apiReceiver.deliveries()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"token\": \"abcdefghijklmnopqrst\"}|url is required",
            "{\"url\": \"ftp://a.example/x\"}|url must be an http or https URL",
            "{\"url\": \"http://user:pw@a.example/x\"}|url must be an http or https URL",
            "{\"url\": \"http://a.example\", \"token\": \"short\"}|token must be at least 16 characters",
            "{\"url\": \"http://a.example\", \"secret\": \"short\"}|secret must be at least 16 characters",
            "{\"url\": \"http://a.example\", \"events\": [\"stream_exploded\"]}|unknown event type",
            "{\"url\": \"http://a.example\", \"events\": \"stream_started\"}|events must be a list",
            "{\"url\": \"http://a.example\", \"timeout_seconds\": 0}|timeout_seconds must be a whole number from 1 to 120",
            "{\"url\": \"http://a.example\", \"timeout_seconds\": 2.5}|timeout_seconds must be a whole number",
            "{\"url\": \"http://a.example\", \"retries\": 3}|unknown key 'retries'",
            "{\"url\": \"http://a.example\", \"id\": \"Bad Id\"}|id must be lowercase letters"
    })
    void badDefinitionsAreRefusedSayingWhyAndChangeNothing(String json, String message) {
        start();
        String before = server.get("/api/webhooks").body();

        HttpResponse<String> refused = create(json);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(error(refused).get("code").asText()).isEqualTo("invalid_webhook");
        assertThat(error(refused).get("message").asText()).contains(message).doesNotContain("pw@");
        assertThat(server.get("/api/webhooks").body()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotAnObjectOrATakenIdIsRefusedAndChangesNothing() {
        start();
        assertThat(create("""
                {"id": "mine", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
        String before = server.get("/api/webhooks").body();

        HttpResponse<String> notJson = create("[\"http://a.example\"]");
        HttpResponse<String> fileId = create("{\"id\": \"from-file\", \"url\": \"http://a.example/x\"}");
        HttpResponse<String> apiId = create("{\"id\": \"mine\", \"url\": \"http://b.example/x\"}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(error(notJson).get("code").asText()).isEqualTo("invalid_body");
        for (HttpResponse<String> taken : List.of(fileId, apiId)) {
            assertThat(taken.statusCode()).isEqualTo(409);
            assertThat(error(taken).get("code").asText()).isEqualTo("webhook_exists");
        }
        assertThat(server.get("/api/webhooks").body()).isEqualTo(before);
        assertThat(webhook("mine").orElseThrow().get("url").asText()).isEqualTo(apiReceiver.url());
    }

    @Test
    void theFilesReceiversAreReadOnlyAndAnUnknownIdIsNotFound() {
        start();
        String before = server.get("/api/webhooks").body();

        HttpResponse<String> fromFile = delete("from-file");
        HttpResponse<String> unknown = delete("nope");

        assertThat(fromFile.statusCode()).isEqualTo(409);
        assertThat(error(fromFile).get("code").asText()).isEqualTo("read_only_receiver");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown).get("code").asText()).isEqualTo("unknown_webhook");
        assertThat(server.get("/api/webhooks").body()).isEqualTo(before);
        reload();
        await().atMost(BOUND).until(() -> fileReceiver.of("config_reloaded").size() == 1);
    }

    @Test
    void anAddedReceiverIsKeptAcrossARestartWithItsTokenAndSecret() {
        start();
        assertThat(create("""
                {"id": "kept", "url": "%s", "token": "%s", "secret": "%s"}""".formatted(apiReceiver.url(), TOKEN,
                SECRET)).statusCode()).isEqualTo(201);

        restart(fileWebhooks(fileReceiver));

        JsonNode kept = webhook("kept").orElseThrow();
        assertThat(kept.get("origin").asText()).isEqualTo("api");
        assertThat(kept.get("has_token").asBoolean()).isTrue();
        assertThat(kept.get("has_secret").asBoolean()).isTrue();
        assertThat(webhook("from-file")).isPresent();
        assertThat(server.post("/api/webhooks/kept/test").statusCode()).isEqualTo(202);
        await().atMost(BOUND).until(() -> apiReceiver.of("webhook_test").size() == 1);
        assertSignedWithTokenAndSecret(apiReceiver.of("webhook_test").getFirst());
    }

    @Test
    void aChangedReceiverGetsItsPendingAndLaterEventsAtItsNewUrlWithItsNewTokenAlsoAfterARestart() {
        try (TestReceiver moved = new TestReceiver()) {
            start();
            apiReceiver.down();
            assertThat(create("""
                    {"id": "moving", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
            reload();
            await().atMost(BOUND).until(() -> webhook("moving").orElseThrow().get("pending").asLong() == 1);

            HttpResponse<String> changed = replace("moving", """
                    {"url": "%s", "token": "%s", "secret": "%s"}""".formatted(moved.url(), TOKEN, SECRET));

            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(changed.body()).doesNotContain(TOKEN).doesNotContain(SECRET);
            assertThat(ResponseJson.of(changed).get("url").asText()).isEqualTo(moved.url());
            assertThat(ResponseJson.of(changed).get("has_token").asBoolean()).isTrue();
            reload();
            await().atMost(BOUND).until(() -> moved.of("config_reloaded").size() == 2);
            assertThat(moved.deliveries()).extracting(TestReceiver.Delivery::sequence).containsExactly(1L, 2L);
            moved.deliveries().forEach(WebhookApiIT::assertSignedWithTokenAndSecret);

            restart(fileWebhooks(fileReceiver));

            JsonNode kept = webhook("moving").orElseThrow();
            assertThat(kept.get("url").asText()).isEqualTo(moved.url());
            assertThat(kept.get("has_secret").asBoolean()).isTrue();
            assertThat(server.post("/api/webhooks/moving/test").statusCode()).isEqualTo(202);
            await().atMost(BOUND).until(() -> moved.of("webhook_test").size() == 1);
            assertSignedWithTokenAndSecret(moved.of("webhook_test").getFirst());
        }
    }

    @Test
    void aChangeThatIsInvalidRenamesOrTouchesAFileReceiverIsRefusedAndChangesNothing() {
        start();
        assertThat(create("""
                {"id": "mine", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
        String before = server.get("/api/webhooks").body();

        HttpResponse<String> invalid = replace("mine", "{\"url\": \"ftp://a.example/x\"}");
        HttpResponse<String> renamed = replace("mine", "{\"id\": \"other\", \"url\": \"http://a.example/x\"}");
        HttpResponse<String> fromFile = replace("from-file", "{\"url\": \"http://a.example/x\"}");
        HttpResponse<String> unknown = replace("nope", "{\"url\": \"http://a.example/x\"}");

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(error(invalid).get("message").asText()).contains("url must be an http or https URL");
        assertThat(renamed.statusCode()).isEqualTo(400);
        assertThat(error(renamed).get("code").asText()).isEqualTo("id_mismatch");
        assertThat(error(renamed).get("message").asText()).contains("the id cannot change");
        assertThat(fromFile.statusCode()).isEqualTo(409);
        assertThat(error(fromFile).get("code").asText()).isEqualTo("read_only_receiver");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(server.get("/api/webhooks").body()).isEqualTo(before);
    }

    @Test
    void removingAReceiverDropsItsPendingDeliveries() {
        start();
        apiReceiver.down();
        assertThat(create("""
                {"id": "flaky", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            reload();
        }
        await().atMost(BOUND).until(() -> webhook("flaky").orElseThrow().get("pending").asLong() == 3);

        HttpResponse<String> removed;
        try (LogCapture log = new LogCapture()) {
            removed = delete("flaky");
            assertThat(log.text()).contains("webhook flaky: removed through the API; dropped its 3 pending");
        }

        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(ResponseJson.of(removed).get("dropped_pending").asInt()).isEqualTo(3);
        assertThat(webhook("flaky")).isEmpty();
        assertThat(delete("flaky").statusCode()).isEqualTo(404);

        apiReceiver.up();
        assertThat(create("""
                {"id": "flaky", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
        assertThat(webhook("flaky").orElseThrow().get("pending").asLong()).as("the old rows are gone").isZero();
        reload();
        await().atMost(BOUND).until(() -> webhook("flaky").orElseThrow().get("delivered").asLong() == 1);
        assertThat(apiReceiver.deliveries()).extracting(TestReceiver.Delivery::sequence).containsExactly(4L);
    }

    @Test
    void aReceiverNoLongerInTheFileLosesItsPendingDeliveriesAtTheNextStart() {
        fileReceiver.down();
        start();
        for (int i = 0; i < 2; i++) {
            reload();
        }
        await().atMost(BOUND).until(() -> webhook("from-file").orElseThrow().get("pending").asLong() == 2);

        try (LogCapture log = new LogCapture()) {
            restart("");
            assertThat(log.text()).contains("webhook from-file is no longer configured: dropped its 2 pending");
        }

        assertThat(ResponseJson.of(server.get("/api/webhooks")).get("webhooks")).isEmpty();
        restart(fileWebhooks(fileReceiver));
        assertThat(webhook("from-file").orElseThrow().get("pending").asLong()).as("dropped, not kept").isZero();
    }

    @Test
    void aFileReceiverWithTheIdOfAnAddedOneIsRefusedAtStart() {
        start();
        assertThat(create("""
                {"id": "twice", "url": "%s"}""".formatted(apiReceiver.url())).statusCode()).isEqualTo(201);
        String dataDir = server.dataDir().toString();
        server.close();
        server = null;

        assertThatThrownBy(() -> start(Map.of("data_dir", dataDir), """
                webhooks:
                  - id: twice
                    url: %s
                """.formatted(fileReceiver.url())))
                .rootCause().hasMessageContaining("webhook twice is in the configuration file and was also added"
                        + " through the API");
    }

    private void reload() {
        assertThat(server.post("/api/config/reload").statusCode()).isEqualTo(200);
    }

    private static void assertSignedWithTokenAndSecret(TestReceiver.Delivery d) {
        assertThat(d.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(d.idempotencyKey()).isEqualTo(d.eventId());
        String t = d.signature().split(",")[0].substring(2);
        assertThat(d.signature()).isEqualTo(WebhookSignature.of(Secret.of(SECRET), Long.parseLong(t),
                d.rawBody().getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> create(String json) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/webhooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> replace(String id, String json) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/webhooks/" + id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> delete(String id) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/webhooks/" + id)).DELETE());
    }

    private static JsonNode error(HttpResponse<String> r) {
        return ResponseJson.of(r).get("error");
    }

    private Optional<JsonNode> webhook(String id) {
        JsonNode list = ResponseJson.of(server.get("/api/webhooks")).get("webhooks");
        return StreamSupport.stream(list.spliterator(), false).filter(w -> w.get("id").asText().equals(id))
                .findFirst();
    }
}
