package dev.headend.web.events;

import dev.headend.events.EventLog;
import dev.headend.events.ReceiverCounts;
import dev.headend.events.WebhookDispatcher;
import dev.headend.events.WebhookTarget;
import dev.headend.security.Secrets;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/webhooks}: the configured receivers (URL masked, tokens and secrets never shown)
 * with their outbox counts and last error. {@code POST /api/webhooks/{id}/test}: queues a
 * {@code webhook_test} event for that receiver only (202, with its event id).
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
        return List.of(Route.get("/api/webhooks", this::list), Route.post("/api/webhooks/{id}/test", this::test));
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
        m.put("url", Secrets.mask(t.url().toString()));
        m.put("events", t.events().stream().sorted().toList());
        m.put("timeout_seconds", t.timeout().toSeconds());
        m.put("bearer_token", t.token().isPresent());
        m.put("signed", t.secret().isPresent());
        m.put("delivered", c.delivered());
        m.put("pending", c.pending());
        m.put("dead", c.dead());
        m.put("failed_attempts", c.failedAttempts());
        m.put("last_error", c.lastError().orElse(null));
        return m;
    }

    private void test(Exchange ex) {
        String id = ex.param("id");
        if (webhooks.find(id).isEmpty()) {
            throw new ApiException(404, "unknown_webhook", "no webhook receiver has the id '" + Http.printable(id) + "'");
        }
        UUID eventId = log.publishTest(id);
        ex.json(202, Map.of("webhook_id", id, "event_id", eventId.toString()));
    }
}
