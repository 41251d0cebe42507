package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.events.InvalidWebhookException;
import dev.headend.events.WebhookDefinition;
import dev.headend.events.WebhookTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-level {@code webhooks:} list: each entry a receiver's definition ({@link
 * WebhookDefinition}), ids unique.
 */
final class WebhookParser {
    private WebhookParser() {}

    static List<WebhookTarget> parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("'webhooks' must be a list of receivers (each with a url)");
        }
        List<WebhookTarget> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode w : node) {
            WebhookTarget t = one(w, "webhooks[" + index++ + "]");
            if (!ids.add(t.id())) {
                throw new ConfigException("webhook " + t.id() + " is defined twice");
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static WebhookTarget one(JsonNode w, String where) {
        if (!w.isObject()) {
            throw new ConfigException(where + " must be a mapping with a url");
        }
        try {
            return WebhookDefinition.parse(w, WebhookTarget.Origin.FILE);
        } catch (InvalidWebhookException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }
}
