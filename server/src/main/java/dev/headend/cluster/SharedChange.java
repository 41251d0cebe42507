package dev.headend.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.sync.SharedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One change through some node's API as the cluster carries it: its sequence number (from the
 * cluster's one counter), the node it was made on, and its items. On {@code headend:changes} a
 * message is {@code {"seq": n, "node": "id", "items": [{"kind": "setting"|"channel", "key": "...",
 * "value": "..."|null}]}}; the latest state keeps each item as {@code {"seq": n, "node": "id",
 * "kind": ..., "key": ..., "value": ...}}.
 */
public record SharedChange(long seq, String node, List<SharedItem> items) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SharedChange {
        items = List.copyOf(items);
    }

    /** The items, each with this change's number. */
    public List<SharedItem.Versioned> versioned() {
        return items.stream().map(i -> new SharedItem.Versioned(i, seq)).toList();
    }

    /** The items as the publishing script takes them: a JSON array of {@code {kind, key, value}}. */
    static String itemsJson(List<SharedItem> items) {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(i -> array.add(item(i)));
        return array.toString();
    }

    /** A message of {@code headend:changes}; empty when it is not one this version reads. */
    static Optional<SharedChange> parse(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            JsonNode items = node.path("items");
            if (!node.path("seq").canConvertToLong() || !items.isArray()) {
                return Optional.empty();
            }
            List<SharedItem> out = new ArrayList<>();
            for (JsonNode i : items) {
                Optional<SharedItem> item = item(i);
                if (item.isEmpty()) {
                    return Optional.empty();
                }
                out.add(item.get());
            }
            return Optional.of(new SharedChange(node.path("seq").asLong(), node.path("node").asText(""), out));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** One item of the latest state, with the number of the change that set it; empty when unreadable. */
    static Optional<SharedItem.Versioned> parseState(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            if (!node.path("seq").canConvertToLong()) {
                return Optional.empty();
            }
            return item(node).map(i -> new SharedItem.Versioned(i, node.path("seq").asLong()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode item(SharedItem i) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", i.kind().label());
        o.put("key", i.key());
        i.value().ifPresentOrElse(v -> o.put("value", v), () -> o.putNull("value"));
        return o;
    }

    private static Optional<SharedItem> item(JsonNode i) {
        SharedItem.Kind kind;
        try {
            kind = SharedItem.Kind.valueOf(i.path("kind").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        JsonNode key = i.path("key");
        JsonNode value = i.path("value");
        if (!key.isTextual() || !(value.isTextual() || value.isNull() || value.isMissingNode())) {
            return Optional.empty();
        }
        return Optional.of(new SharedItem(kind, key.textValue(), Optional.ofNullable(value.textValue())));
    }
}
