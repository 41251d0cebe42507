package dev.headend.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.security.Secret;
import dev.headend.security.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One webhook receiver's definition, as a mapping of the configuration file's {@code webhooks:}
 * list or the body of {@code POST /api/webhooks} (the same keys, checked the same way): {@code
 * url} (http or https, no user info), optional {@code id} (default: derived from the URL, so it
 * stays the same across restarts), {@code token} (Bearer), {@code secret} (signature), {@code
 * events} (type filter) and {@code timeout_seconds} (default 10, 1 to 120).
 */
public final class WebhookDefinition {
    private static final Set<String> KEYS = Set.of("id", "url", "token", "secret", "events", "timeout_seconds");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_TIMEOUT_SECONDS = 120;

    private WebhookDefinition() {}

    /**
     * @param w a JSON/YAML mapping
     * @throws InvalidWebhookException saying what is wrong (a refused URL is shown masked)
     */
    public static WebhookTarget parse(JsonNode w, WebhookTarget.Origin origin) {
        for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new InvalidWebhookException("unknown key '" + key + "' (expected " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        String urlText = text(w, "url").orElseThrow(() -> new InvalidWebhookException("url is required"));
        URI url = url(urlText);
        String id = text(w, "id").orElse("webhook-" + shortHash(urlText));
        if (!ID.matcher(id).matches()) {
            throw new InvalidWebhookException("id must be lowercase letters, digits, - and _ (at most 64), got '"
                    + id + "'");
        }
        Optional<Secret> token = secret(w, "token");
        Optional<Secret> secret = secret(w, "secret");
        return new WebhookTarget(id, url, token, secret, events(w.get("events")), timeout(w.get("timeout_seconds")),
                origin);
    }

    private static URI url(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || url.getScheme() == null || !url.getScheme().matches("(?i)https?") || url.getHost() == null
                || url.getRawUserInfo() != null) {
            throw new InvalidWebhookException("url must be an http or https URL with a host and no user info, got '"
                    + Secrets.mask(text) + "'");
        }
        return url;
    }

    private static Set<String> events(JsonNode list) {
        Set<String> events = new LinkedHashSet<>();
        if (list == null || list.isNull()) {
            return events;
        }
        if (!list.isArray()) {
            throw new InvalidWebhookException("events must be a list of event types");
        }
        for (JsonNode e : list) {
            if (!e.isTextual() || !EventData.TYPES.contains(e.textValue())) {
                throw new InvalidWebhookException("unknown event type " + e + " (known: "
                        + String.join(", ", EventData.TYPES) + ")");
            }
            events.add(e.textValue());
        }
        return events;
    }

    private static Duration timeout(JsonNode t) {
        if (t == null || t.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        if (!t.canConvertToInt() || !t.isIntegralNumber() || t.intValue() < 1 || t.intValue() > MAX_TIMEOUT_SECONDS) {
            throw new InvalidWebhookException("timeout_seconds must be a whole number from 1 to "
                    + MAX_TIMEOUT_SECONDS + ", got " + t);
        }
        return Duration.ofSeconds(t.intValue());
    }

    private static Optional<String> text(JsonNode w, String key) {
        JsonNode v = w.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new InvalidWebhookException(key + " must be a non-empty value");
        }
        return Optional.of(v.asText().strip());
    }

    private static Optional<Secret> secret(JsonNode w, String key) {
        return text(w, key).map(value -> {
            try {
                return Secret.of(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidWebhookException(key + " " + e.getMessage());
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
