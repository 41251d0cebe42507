package dev.headend.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.config.ConfigException;
import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.security.Secrets;
import dev.headend.settings.InvalidSettingsException;
import dev.headend.settings.LiveSettings;
import dev.headend.settings.SettingsInput;
import dev.headend.sync.UnsharedChangeException;
import dev.headend.time.Durations;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/settings} (every server setting: value, origin, default, range, whether a
 * change applies live), {@code PATCH /api/settings} (set values, checked all together, stored,
 * applied) and {@code DELETE /api/settings/{key}} (back to the file, environment or default).
 * Secrets are never shown ({@code "***"} when set) and cannot be set here.
 */
public final class SettingsApi implements RouteGroup {

    private final LiveSettings settings;

    public SettingsApi(LiveSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/settings", this::list), new Route("PATCH", "/api/settings", this::patch),
                Route.delete("/api/settings/{key}", this::reset));
    }

    private void list(Exchange ex) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("precedence", Arrays.stream(ServerSettings.Origin.values()).map(ServerSettings.Origin::label)
                .toList());
        body.put("settings", Arrays.stream(Setting.values()).map(this::view).toList());
        ex.json(200, body);
    }

    /**
     * 200 with what changed; 400 {@code invalid_settings} naming each refused key (unknown, a
     * secret, the wrong type, out of range, contradicting another) with its range: nothing changed.
     */
    private void patch(Exchange ex) throws IOException {
        JsonNode body = ex.jsonBody();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), value(e.getValue()));
        }
        if (values.isEmpty()) {
            throw new ApiException(400, "invalid_settings", "the body names no setting: send {\"key\": value, ...}");
        }
        LiveSettings.Update update;
        try {
            update = settings.set(values);
        } catch (InvalidSettingsException e) {
            List<Map<String, String>> invalid = e.problems().stream().map(SettingsApi::problem).toList();
            throw new ApiException(400, "invalid_settings", invalid.size() + " setting(s) refused, nothing changed: "
                    + e.getMessage(), Map.of("invalid", invalid));
        } catch (UnsharedChangeException e) {
            throw ChannelsApi.unshared(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", keys(update.changed()));
        answer.put("applied_live", keys(update.appliedLive()));
        answer.put("restart_required", values.keySet().stream().map(k -> Setting.byKey(k).orElseThrow())
                .filter(settings::pendingRestart).map(Setting::key).toList());
        answer.put("settings", values.keySet().stream().map(k -> view(Setting.byKey(k).orElseThrow())).toList());
        ex.json(200, answer);
    }

    /**
     * 200 with the setting as it is now; 404 {@code unknown_setting}; 409 {@code
     * conflicting_settings} when the value that would apply again contradicts another value set
     * through the API (nothing changed).
     */
    private void reset(Exchange ex) {
        String key = ex.param("key");
        Setting s = Setting.byKey(key).orElseThrow(() -> new ApiException(404, "unknown_setting",
                "no setting is called '" + key + "' (GET /api/settings lists them)"));
        LiveSettings.Update update;
        try {
            update = settings.reset(s);
        } catch (ConfigException e) {
            throw new ApiException(409, "conflicting_settings", "resetting " + s.key() + " would give "
                    + e.getMessage() + "; change or reset that setting first, nothing changed");
        } catch (UnsharedChangeException e) {
            throw ChannelsApi.unshared(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", keys(update.changed()));
        answer.put("applied_live", keys(update.appliedLive()));
        answer.put("setting", view(s));
        ex.json(200, answer);
    }

    /** A JSON value as {@link SettingsInput#check} takes it. */
    private static Object value(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isNull()) {
            return null;
        }
        return node.isArray() ? List.of() : Map.of();
    }

    private static Map<String, String> problem(SettingsInput.Problem p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("key", p.key());
        m.put("message", Secrets.mask(p.message()));
        m.put("range", p.range());
        return m;
    }

    private static List<String> keys(List<Setting> settings) {
        return settings.stream().map(Setting::key).toList();
    }

    private Map<String, Object> view(Setting s) {
        ServerSettings wanted = settings.wanted();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("key", s.key());
        v.put("value", shown(s, wanted.value(s)));
        if (s.kind() == Setting.Kind.SECRET) {
            v.put("set", ((Optional<?>) wanted.value(s)).isPresent());
        }
        v.put("origin", wanted.origin(s).label());
        wanted.overrides(s).ifPresent(o -> v.put("overrides", o.label()));
        v.put("default", shown(s, s.parse(s.defaultText())));
        v.put("range", s.range());
        v.put("min", bound(s, s.min()));
        v.put("max", bound(s, s.max()));
        v.put("unit", s.unit());
        v.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
        v.put("group", s.part().label());
        v.put("description", s.description());
        v.put("env_var", s.envVar());
        v.put("applies", s.applies().label());
        boolean pending = settings.pendingRestart(s);
        v.put("pending_restart", pending);
        if (pending) {
            v.put("running_value", shown(s, settings.started().value(s)));
        }
        return v;
    }

    /** A bound of the range as the range shows it (a number for whole numbers); null for text settings. */
    private static Object bound(Setting s, String text) {
        return switch (s.kind()) {
            case INTEGER -> Integer.parseInt(text);
            case DURATION -> text;
            case TEXT, BOOLEAN, URL, SECRET, PATH, REDIS_URL -> null;
        };
    }

    /** A parsed value as the API shows it: numbers and switches as such, durations as written, secrets hidden. */
    private static Object shown(Setting s, Object value) {
        return switch (s.kind()) {
            case INTEGER, BOOLEAN, TEXT -> value;
            case DURATION -> Durations.format((Duration) value);
            case SECRET -> ((Optional<?>) value).isPresent() ? Secrets.MASK : "";
            // a Redis address shows itself with its password masked
            case URL, PATH, REDIS_URL -> ((Optional<?>) value).map(Object::toString).orElse("");
        };
    }
}
