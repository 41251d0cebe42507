package dev.headend.web.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.events.EventLog;
import dev.headend.events.InvalidWebhookException;
import dev.headend.events.ReceiverCounts;
import dev.headend.events.WebhookDefinition;
import dev.headend.events.WebhookDispatcher;
import dev.headend.events.WebhookTarget;
import dev.headend.security.Secrets;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/webhooks}: the receivers of the configuration file and of the API (URL masked,
 * tokens and secrets never shown) with their origin, outbox counts and last error. {@code POST
 * /api/webhooks}: adds a receiver (the file's keys, checked the same way), 201 with it. {@code PUT
 * /api/webhooks/{id}}: replaces the definition of a receiver added through the API. {@code
 * DELETE /api/webhooks/{id}}: removes a receiver added through the API and drops its pending
 * deliveries; the file's are read-only. {@code POST /api/webhooks/{id}/test}: queues a {@code
 * webhook_test} event for that receiver only (202, with its event id).
 */
public final class WebhookRoutes implements RouteGroup {
    private final WebhookDispatcher webhooks;
    private final EventLog log;

    public WebhookRoutes(WebhookDispatcher webhooks, EventLog log) {
        this.webhooks = webhooks;
        this.log = log;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/webhooks", this::list),
                Route.post("/api/webhooks", this::add),
                Route.put("/api/webhooks/{id}", this::replace),
                Route.delete("/api/webhooks/{id}", this::remove),
                Route.post("/api/webhooks/{id}/test", this::test));
    }

    private void list(Exchange ex) {
        Map<String, ReceiverCounts> counts = webhooks.counts();
        List<Map<String, Object>> out = webhooks.targets().stream().map(t -> view(t,
                counts.getOrDefault(t.id(), ReceiverCounts.NONE))).toList();
        ex.json(200, Map.of("webhooks", out));
    }

    private static Map<String, Object> view(WebhookTarget t, ReceiverCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("origin", t.origin().label());
        m.put("url", Secrets.mask(t.url().toString()));
        m.put("events", t.events().stream().sorted().toList());
        m.put("timeout_seconds", t.timeout().toSeconds());
        m.put("has_token", t.token().isPresent());
        m.put("has_secret", t.secret().isPresent());
        m.put("delivered", c.delivered());
        m.put("pending", c.pending());
        m.put("dead", c.dead());
        m.put("failed_attempts", c.failedAttempts());
        m.put("last_error", c.lastError().orElse(null));
        return m;
    }

    private void add(Exchange ex) throws IOException {
        WebhookTarget t = parse(ex.jsonBody());
        if (!webhooks.add(t)) {
            throw new ApiException(409, "webhook_exists", "a webhook receiver already has the id '" + t.id()
                    + "': give another id, or delete that receiver first");
        }
        ex.json(201, view(t, ReceiverCounts.NONE));
    }

    private static WebhookTarget parse(JsonNode body) {
        try {
            return WebhookDefinition.parse(body, WebhookTarget.Origin.API);
        } catch (InvalidWebhookException e) {
            throw new ApiException(400, "invalid_webhook", e.getMessage());
        }
    }

    /** The whole definition is replaced: keys left out take their defaults, as in {@code POST}. */
    private void replace(Exchange ex) throws IOException, InterruptedException {
        WebhookTarget old = changeable(ex.param("id"), "change it there");
        ObjectNode body = (ObjectNode) ex.jsonBody();
        JsonNode id = body.get("id");
        if (id != null && !id.asText().equals(old.id())) {
            throw new ApiException(400, "id_mismatch", "the id cannot change: the body says '"
                    + Http.printable(id.asText()) + "', the path '" + old.id() + "'");
        }
        WebhookTarget t = parse(body.put("id", old.id()));
        if (!webhooks.replace(t)) {
            throw unknown(t.id());
        }
        ex.json(200, view(t, webhooks.counts().getOrDefault(t.id(), ReceiverCounts.NONE)));
    }

    /** A receiver the API may change: one it added. */
    private WebhookTarget changeable(String id, String howInTheFile) {
        WebhookTarget t = existing(id);
        if (t.origin() == WebhookTarget.Origin.FILE) {
            throw new ApiException(409, "read_only_receiver", "webhook " + t.id() + " is defined in the configuration"
                    + " file: " + howInTheFile + " and restart the server");
        }
        return t;
    }

    private void remove(Exchange ex) throws InterruptedException {
        WebhookTarget t = changeable(ex.param("id"), "remove it there");
        int dropped = webhooks.remove(t).orElseThrow(() -> unknown(t.id()));
        ex.json(200, Map.of("webhook_id", t.id(), "dropped_pending", dropped));
    }

    private void test(Exchange ex) {
        String id = existing(ex.param("id")).id();
        UUID eventId = log.publishTest(id);
        ex.json(202, Map.of("webhook_id", id, "event_id", eventId.toString()));
    }

    private WebhookTarget existing(String id) {
        return webhooks.find(id).orElseThrow(() -> unknown(id));
    }

    private static ApiException unknown(String id) {
        return new ApiException(404, "unknown_webhook", "no webhook receiver has the id '" + Http.printable(id) + "'");
    }
}
