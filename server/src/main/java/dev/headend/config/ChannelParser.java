package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.InvalidChannelException;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook;
import dev.headend.channel.Source;
import dev.headend.channel.Sources;
import dev.headend.channel.ThrottleMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns one YAML channel entry into a validated {@link Channel}; errors name the channel. */
final class ChannelParser {
    private static final Set<String> CHANNEL_KEYS = Set.of(
            "id", "name", "number", "group", "logo", "source", "sources", "profile", "on_demand", "linger_seconds",
            "slate", "throttle", "ts_start_slate", "guide");
    private static final Set<String> PROFILE_KEYS = Set.of(
            "type", "width", "height", "fps", "bitrate_kbps", "preset", "audio");
    private static final Set<String> PRESETS = Set.of(
            "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow");
    /** Ids that would shadow, or be shadowed by, the API's own paths, and those paths. */
    private static final Map<String, String> RESERVED_IDS = Map.of("start", "/api/streams/start", "stop",
            "/api/streams/stop", "cleanup", "/api/streams/cleanup", "import", "/api/channels/import");
    private static final int DEFAULT_LINGER_SECONDS = 10;
    private static final int DEFAULT_BITRATE_KBPS = 2000;

    private ChannelParser() {}

    static Channel parse(JsonNode node, int index, Path baseDir, SlateParser.Settings slateDefaults) {
        return parse(node, "channels[" + index + "]", baseDir, slateDefaults);
    }

    /** @param entry names the entry in messages about its id, as in {@code channels[3]} */
    static Channel parse(JsonNode node, String entry, Path baseDir, SlateParser.Settings slateDefaults) {
        if (!node.isObject()) {
            throw new ConfigException(entry + " must be a mapping");
        }
        String id = text(node, "id").orElseThrow(
                () -> new ConfigException(entry + " has no id"));
        if (!Channel.validId(id)) {
            throw new ConfigException(entry + ": id '" + id
                    + "' is invalid; use 1-64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        if (RESERVED_IDS.containsKey(id)) {
            throw new ConfigException(entry + ": id '" + id + "' is reserved (the API has "
                    + RESERVED_IDS.get(id) + "); choose another");
        }
        return definition(node, id, baseDir, slateDefaults);
    }

    /**
     * The channel of a mapping whose {@code id} the caller checked (a template's made id may hold
     * characters a configured id may not); every other key is validated here.
     */
    static Channel definition(JsonNode node, String id, Path baseDir, SlateParser.Settings slateDefaults) {
        String where = "channel " + id;
        unknownKeys(node, CHANNEL_KEYS, where);
        List<Source> sources = sources(node, id, where, baseDir);
        Source source = sources.getFirst();
        String name = text(node, "name").orElse(id);
        Optional<Integer> number = integer(node, "number", where, 0, 99_999);
        String channelLine = number.map(n -> n + " · " + name).orElse(name);
        String slateWhere = where + " slate";
        SlateLook slate = SlateParser.look(SlateParser.parse(node.get("slate"), slateDefaults, slateWhere, baseDir),
                channelLine, slateWhere);
        return new Channel(
                id,
                name,
                number,
                text(node, "group"),
                text(node, "logo"),
                sources,
                profile(node.path("profile"), source, where),
                bool(node, "on_demand", where).orElse(true),
                Duration.ofSeconds(integer(node, "linger_seconds", where, 0, 86_400).orElse(DEFAULT_LINGER_SECONDS)),
                slate,
                throttle(node, where),
                bool(node, "ts_start_slate", where),
                GuideParser.parse(node.get("guide"), where));
    }

    /** {@code throttle:} a throttle mode for this channel's continuous-TS viewers (none: the server's). */
    private static Optional<ThrottleMode> throttle(JsonNode node, String where) {
        return text(node, "throttle").map(t -> ThrottleMode.parse(t).orElseThrow(() -> new ConfigException(where
                + ": throttle must be one of " + ThrottleMode.choices() + ", got '" + t + "'")));
    }

    /** {@code source: URL} or {@code sources: [URL, ...]} (failover order), exactly one of them. */
    private static List<Source> sources(JsonNode node, String id, String where, Path baseDir) {
        boolean single = node.hasNonNull("source");
        boolean list = node.hasNonNull("sources");
        if (single == list) {
            throw new ConfigException(where + (single ? " has both 'source' and 'sources'; use one"
                    : " has no source (give 'source: URL' or 'sources: [URL, ...]')"));
        }
        if (single) {
            return List.of(source(id, text(node, "source").orElseThrow(
                    () -> new ConfigException(where + " has no source")), baseDir));
        }
        JsonNode items = node.get("sources");
        if (!items.isArray() || items.isEmpty()) {
            throw new ConfigException(where + ": 'sources' must be a non-empty list of URLs");
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new ConfigException(where + ": every entry of 'sources' must be a URL");
            }
            Source s = source(id, item.asText(), baseDir);
            if (s instanceof Source.TestPattern && items.size() > 1) {
                throw new ConfigException(where + ": 'test:' cannot be combined with other sources");
            }
            if (s instanceof Source.Push && items.size() > 1) {
                throw new ConfigException(where + ": 'push:' cannot be combined with other sources");
            }
            sources.add(s);
        }
        return List.copyOf(sources);
    }

    private static Source source(String channelId, String url, Path baseDir) {
        try {
            return Sources.parse(channelId, url, baseDir);
        } catch (InvalidChannelException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static OutputProfile profile(JsonNode node, Source source, String where) {
        boolean test = source instanceof Source.TestPattern;
        if (node.isMissingNode() || node.isNull()) {
            if (source instanceof Source.Push) {
                return new OutputProfile.H264(Optional.empty(), Optional.empty(), Optional.empty(),
                        DEFAULT_BITRATE_KBPS, "veryfast", AudioMode.NONE);
            }
            return test ? testProfile(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_BITRATE_KBPS,
                    "veryfast", AudioMode.AAC) : new OutputProfile.Copy(AudioMode.COPY);
        }
        if (node.isTextual()) {
            return switch (node.asText().toLowerCase(Locale.ROOT)) {
                case "copy" -> copy(source, AudioMode.COPY, where);
                case "h264" -> h264(node, source, where);
                default -> throw new ConfigException(where + ": profile must be 'copy' or 'h264', got '"
                        + node.asText() + "'");
            };
        }
        if (!node.isObject()) {
            throw new ConfigException(where + ": profile must be 'copy', 'h264' or a mapping");
        }
        unknownKeys(node, PROFILE_KEYS, where + " profile");
        String type = text(node, "type").orElse("h264").toLowerCase(Locale.ROOT);
        return switch (type) {
            case "copy" -> {
                for (String k : new String[] {"width", "height", "fps", "bitrate_kbps", "preset"}) {
                    if (node.has(k)) {
                        throw new ConfigException(where + ": profile 'copy' does not take '" + k
                                + "' (use type: h264 to transcode)");
                    }
                }
                yield copy(source, audio(node, where, AudioMode.COPY), where);
            }
            case "h264" -> h264(node, source, where);
            default -> throw new ConfigException(where + ": profile type must be 'copy' or 'h264', got '" + type + "'");
        };
    }

    private static OutputProfile copy(Source source, AudioMode audio, String where) {
        if (source instanceof Source.TestPattern) {
            throw new ConfigException(where + ": a test: source is generated, so it needs profile h264, not copy");
        }
        if (source instanceof Source.Push) {
            throw new ConfigException(where + ": a push: source sends still images, so it needs profile h264, not"
                    + " copy");
        }
        return new OutputProfile.Copy(audio);
    }

    private static OutputProfile h264(JsonNode node, Source source, String where) {
        boolean object = node.isObject();
        Optional<Integer> width = object ? integer(node, "width", where, 16, 7680) : Optional.empty();
        Optional<Integer> height = object ? integer(node, "height", where, 16, 4320) : Optional.empty();
        Optional<Integer> fps = object ? integer(node, "fps", where, 1, 120) : Optional.empty();
        int bitrate = object ? integer(node, "bitrate_kbps", where, 64, 100_000).orElse(DEFAULT_BITRATE_KBPS)
                : DEFAULT_BITRATE_KBPS;
        String preset = object ? text(node, "preset").orElse("veryfast") : "veryfast";
        if (!PRESETS.contains(preset)) {
            throw new ConfigException(where + ": preset '" + preset + "' is not an x264 preset " + PRESETS);
        }
        for (Optional<Integer> size : java.util.List.of(width, height)) {
            if (size.isPresent() && size.get() % 2 != 0) {
                throw new ConfigException(where + ": width and height must be even numbers");
            }
        }
        AudioMode defaultAudio = source instanceof Source.Push ? AudioMode.NONE : AudioMode.AAC;
        AudioMode audio = object ? audio(node, where, defaultAudio) : defaultAudio;
        if (source instanceof Source.Push && audio != AudioMode.NONE) {
            throw new ConfigException(where + ": a push: source has no sound; use audio none");
        }
        if (source instanceof Source.TestPattern) {
            if (audio == AudioMode.COPY) {
                throw new ConfigException(where + ": a test: source has a generated tone; use audio aac or none");
            }
            return testProfile(width, height, fps, bitrate, preset, audio);
        }
        return new OutputProfile.H264(width, height, fps, bitrate, preset, audio);
    }

    private static OutputProfile testProfile(Optional<Integer> w, Optional<Integer> h, Optional<Integer> fps,
            int bitrate, String preset, AudioMode audio) {
        return new OutputProfile.H264(Optional.of(w.orElse(OutputProfile.H264.TEST_PATTERN_WIDTH)),
                Optional.of(h.orElse(OutputProfile.H264.TEST_PATTERN_HEIGHT)),
                Optional.of(fps.orElse(OutputProfile.H264.TEST_PATTERN_FPS)), bitrate, preset, audio);
    }

    private static AudioMode audio(JsonNode node, String where, AudioMode dflt) {
        Optional<String> a = text(node, "audio");
        if (a.isEmpty()) {
            return dflt;
        }
        try {
            return AudioMode.valueOf(a.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": audio must be aac, copy or none, got '" + a.get() + "'");
        }
    }

    /** Refuses keys outside {@code allowed}, naming them and the allowed ones. */
    static void unknownKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ConfigException(where + ": unknown key '" + key + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw new ConfigException("'" + key + "' must be a single value");
        }
        String s = v.asText().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static Optional<Integer> integer(JsonNode node, String key, String where, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException(where + ": " + key + " must be a whole number, got '" + v.asText() + "'");
        }
        int n = v.intValue();
        if (n < min || n > max) {
            throw new ConfigException(where + ": " + key + " must be between " + min + " and " + max + ", got " + n);
        }
        return Optional.of(n);
    }

    /** A {@code true}/{@code false} value; empty when the key is absent or null. */
    static Optional<Boolean> bool(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new ConfigException(where + ": " + key + " must be true or false, got '" + v.asText() + "'");
        }
        return Optional.of(v.booleanValue());
    }
}
