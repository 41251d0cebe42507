package dev.headend.settings;

import dev.headend.config.ConfigException;
import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values asked for through the API, checked all together before anything changes: each key must
 * name a setting that is neither a secret nor {@code data_dir} (where the store is), each value must be of the setting's kind (a number or a
 * numeric string for whole numbers; a duration string such as {@code 30s}, or a number of seconds,
 * for durations; {@code true}/{@code false} for switches; a string for text) and within its range,
 * and the settings they give together must hold (initial segments within the window, say).
 */
public final class SettingsInput {
    private SettingsInput() {}

    /** One refused value: the setting's key as asked, why, and the allowed range (empty for text). */
    public record Problem(String key, String message, String range) {}

    /**
     * The values as written, ready to be resolved over {@code wanted}.
     *
     * @param values key to a {@link String}, {@link Boolean} or {@link Number}; anything else
     *     (null, a list, an object) is refused as the wrong type
     * @throws InvalidSettingsException naming every refused key
     */
    public static Map<Setting, String> check(Map<String, ?> values, ServerSettings wanted) {
        List<Problem> problems = new ArrayList<>();
        Map<Setting, String> texts = new EnumMap<>(Setting.class);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Optional<Setting> found = Setting.byKey(e.getKey());
            if (found.isEmpty()) {
                problems.add(new Problem(e.getKey(), "unknown setting '" + e.getKey() + "'", ""));
                continue;
            }
            Setting s = found.get();
            if (!settable(s)) {
                problems.add(new Problem(s.key(), "setting " + s.key() + (s == Setting.DATA_DIR
                        ? " holds the store the API's values are kept in" : " is a secret") + ": set it in the"
                        + " configuration file or as " + s.envVar() + ", never through the API", ""));
                continue;
            }
            try {
                String text = text(s, e.getValue());
                ServerSettings.parse(s, text);
                texts.put(s, text);
            } catch (ConfigException ex) {
                problems.add(new Problem(s.key(), ex.getMessage(), s.range()));
            }
        }
        if (problems.isEmpty()) {
            Map<Setting, String> api = new EnumMap<>(Setting.class);
            api.putAll(wanted.api());
            api.putAll(texts);
            try {
                wanted.withApi(api);
            } catch (ConfigException ex) {
                Setting s = ex.setting().orElseThrow(() -> ex);
                problems.add(new Problem(s.key(), ex.getMessage(), s.range()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return texts;
    }

    /**
     * Whether the API may set {@code s}: neither a secret, nor the Redis address (its password
     * would be kept in the store), nor {@code data_dir}, where the store is.
     */
    public static boolean settable(Setting s) {
        return s.kind() != Setting.Kind.SECRET && s.kind() != Setting.Kind.REDIS_URL && s != Setting.DATA_DIR;
    }

    /**
     * Whether {@code s} belongs to this node only, so that a value set through one node's API is
     * not given to the other nodes of a cluster: where it listens, how other nodes reach it, its
     * id, its FFmpeg and its mirror directory.
     */
    public static boolean nodeLocal(Setting s) {
        return switch (s) {
            case PORT, BIND, NODE_URL, NODE_ID, FFMPEG, HLS_MIRROR_DIR -> true;
            default -> false;
        };
    }

    /** The value as a setting of its kind is written; a value of another type is refused. */
    private static String text(Setting s, Object value) {
        return switch (value) {
            case String text -> text;
            case Boolean b when s.kind() == Setting.Kind.BOOLEAN -> b.toString();
            case Number n when s.kind() == Setting.Kind.INTEGER -> new BigDecimal(n.toString()).toPlainString();
            case Number n when s.kind() == Setting.Kind.DURATION -> seconds(s, new BigDecimal(n.toString()));
            case null, default -> throw new ConfigException("setting " + s.key() + " must be " + expected(s)
                    + ", got " + describe(value), s);
        };
    }

    /** A number of seconds as a duration: whole seconds as such, fractions in whole milliseconds. */
    private static String seconds(Setting s, BigDecimal seconds) {
        if (seconds.stripTrailingZeros().scale() <= 0) {
            return seconds.toBigInteger().toString();
        }
        BigDecimal millis = seconds.movePointRight(3);
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new ConfigException("setting " + s.key() + " must be a duration in whole milliseconds, got "
                    + seconds.toPlainString() + " s", s);
        }
        return millis.toBigInteger() + "ms";
    }

    private static String expected(Setting s) {
        return switch (s.kind()) {
            case INTEGER -> "a whole number";
            case DURATION -> "a duration such as \"30s\" or a number of seconds";
            case BOOLEAN -> "true or false";
            case TEXT, URL, PATH, SECRET, REDIS_URL -> "a string";
        };
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "null (DELETE /api/settings/{key} returns a setting to the file, environment or default)";
            case String text -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case List<?> list -> "a list";
            default -> "an object";
        };
    }
}
