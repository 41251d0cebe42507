package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.slate.SlateLook;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code slate:} sections: the server-wide one (top level) and a channel's override, whose
 * keys replace the server-wide ones. Defaults: visual {@code text}, audio {@code silent}, title
 * "We'll be right back", the channel's number and name shown.
 */
final class SlateParser {
    private static final Set<String> KEYS = Set.of(
            "visual", "audio", "title", "subtitle", "show_channel", "background", "image");

    /** A slate section before it is applied to a channel. */
    record Settings(SlateLook.Visual visual, SlateLook.Audio audio, String title, String subtitle,
            boolean showChannel, String background, Optional<Path> image) {
        static final Settings DEFAULT = new Settings(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT,
                SlateLook.DEFAULT_TITLE, "", true, SlateLook.DEFAULT_BACKGROUND, Optional.empty());
    }

    private SlateParser() {}

    /** Applies a {@code slate:} mapping on top of {@code base}. */
    static Settings parse(JsonNode node, Settings base, String where, Path baseDir) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return base;
        }
        if (!node.isObject()) {
            throw new ConfigException(where + ": slate must be a mapping");
        }
        ChannelParser.unknownKeys(node, KEYS, where + " slate");
        SlateLook.Visual visual = node.has("visual") ? choice(node, "visual", SlateLook.Visual.class, where)
                : base.visual();
        SlateLook.Audio audio = node.has("audio") ? choice(node, "audio", SlateLook.Audio.class, where) : base.audio();
        String background = node.has("background") ? node.get("background").asText() : base.background();
        if (!background.matches("#[0-9A-Fa-f]{6}")) {
            throw new ConfigException(where + " slate: background must be a colour like #101820, got '"
                    + background + "'");
        }
        Optional<Path> image = node.has("image") ? Optional.of(resolve(node.get("image").asText(), baseDir))
                : base.image();
        if (node.has("show_channel") && !node.get("show_channel").isBoolean()) {
            throw new ConfigException(where + " slate: show_channel must be true or false");
        }
        return new Settings(visual, audio,
                node.has("title") ? node.get("title").asText() : base.title(),
                node.has("subtitle") ? node.get("subtitle").asText() : base.subtitle(),
                node.has("show_channel") ? node.get("show_channel").booleanValue() : base.showChannel(),
                background, image);
    }

    /** The look for one channel; checks that a {@code static} slate has its image. */
    static SlateLook look(Settings s, String channelLine, String where) {
        if (s.visual() == SlateLook.Visual.STATIC && s.image().isEmpty()) {
            throw new ConfigException(where + " slate: visual 'static' needs an image file");
        }
        Optional<Path> image = s.visual() == SlateLook.Visual.STATIC ? s.image() : Optional.empty();
        return new SlateLook(s.visual(), s.audio(), s.title(), s.subtitle(), s.showChannel() ? channelLine : "",
                s.background(), image);
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String key, Class<E> type, String where) {
        String value = node.get(key).asText();
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " slate: " + key + " must be one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                            .toList() + ", got '" + value + "'");
        }
    }

    private static Path resolve(String text, Path baseDir) {
        Path p = Path.of(text);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
    }
}
