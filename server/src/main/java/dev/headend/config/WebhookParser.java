package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.events.EventData;
import dev.headend.events.WebhookTarget;
import dev.headend.security.Secret;
import dev.headend.security.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The top-level {@code webhooks:} list: each entry {@code url} (http or https), optional {@code
 * id} (default: derived from the URL, so it stays the same across restarts), {@code token}
 * (Bearer), {@code secret} (signature), {@code events} (type filter) and {@code timeout_seconds}
 * (default 10, 1 to 120).
 */
final class WebhookParser {
    private static final Set<String> KEYS = Set.of("id", "url", "token", "secret", "events", "timeout_seconds");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

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
        for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException(where + ": unknown key '" + key + "' (expected " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        String urlText = text(w, "url", where).orElseThrow(() -> new ConfigException(where + ": url is required"));
        URI url;
        try {
            url = new URI(urlText);
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || url.getScheme() == null || !url.getScheme().matches("(?i)https?") || url.getHost() == null
                || url.getRawUserInfo() != null) {
            throw new ConfigException(where + ": url must be an http or https URL with a host and no user info, got '"
                    + Secrets.mask(urlText) + "'");
        }
        String id = text(w, "id", where).orElse("webhook-" + shortHash(urlText));
        if (!ID.matcher(id).matches()) {
            throw new ConfigException(where + ": id must be lowercase letters, digits, - and _ (at most 64), got '"
                    + id + "'");
        }
        Optional<Secret> token = secret(w, "token", where);
        Optional<Secret> secret = secret(w, "secret", where);
        Set<String> events = new LinkedHashSet<>();
        JsonNode list = w.get("events");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new ConfigException(where + ": events must be a list of event types");
            }
            for (JsonNode e : list) {
                if (!e.isTextual() || !EventData.TYPES.contains(e.textValue())) {
                    throw new ConfigException(where + ": unknown event type " + e + " (known: "
                            + String.join(", ", EventData.TYPES) + ")");
                }
                events.add(e.textValue());
            }
        }
        Duration timeout = DEFAULT_TIMEOUT;
        JsonNode t = w.get("timeout_seconds");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToInt() || !t.isIntegralNumber() || t.intValue() < 1 || t.intValue() > 120) {
                throw new ConfigException(where + ": timeout_seconds must be a whole number from 1 to 120, got " + t);
            }
            timeout = Duration.ofSeconds(t.intValue());
        }
        return new WebhookTarget(id, url, token, secret, events, timeout);
    }

    private static Optional<String> text(JsonNode w, String key, String where) {
        JsonNode v = w.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new ConfigException(where + ": " + key + " must be a non-empty value");
        }
        return Optional.of(v.asText().strip());
    }

    private static Optional<Secret> secret(JsonNode w, String key, String where) {
        return text(w, key, where).map(value -> {
            try {
                return Secret.of(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + key + " " + e.getMessage());
            }
        });
    }

    private static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
