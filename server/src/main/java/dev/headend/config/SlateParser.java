package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code slate:} sections: the server-wide one (top level) and a channel's override, whose
 * keys replace the server-wide ones. Defaults: visual {@code text}, audio {@code silent}, title
 * "We'll be right back", the channel's number and name shown, no status line (time, return
 * time), times in the server's time zone.
 */
final class SlateParser {
    /** The keys of a slate section. */
    static final Set<String> KEYS = Set.of(
            "visual", "audio", "title", "subtitle", "show_channel", "background", "image", "show_time",
            "show_return_time", "time_zone");

    /** A slate section before it is applied to a channel. */
    record Settings(SlateLook.Visual visual, SlateLook.Audio audio, String title, String subtitle,
            boolean showChannel, String background, Optional<Path> image, boolean showTime, boolean showReturnTime,
            ZoneId timeZone) {
        static final Settings DEFAULT = new Settings(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT,
                SlateLook.DEFAULT_TITLE, "", true, SlateLook.DEFAULT_BACKGROUND, Optional.empty(), false, false,
                ZoneId.systemDefault());
    }

    private SlateParser() {}

    /**
     * Applies a {@code slate:} mapping on top of {@code base}.
     *
     * @param where names the section in messages: {@code slate} or {@code channel ID slate}
     */
    static Settings parse(JsonNode node, Settings base, String where, Path baseDir) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return base;
        }
        if (!node.isObject()) {
            throw new ConfigException(where + " must be a mapping");
        }
        ChannelParser.unknownKeys(node, KEYS, where);
        SlateLook.Visual visual = node.has("visual") ? choice(node, "visual", SlateLook.Visual.class, where)
                : base.visual();
        SlateLook.Audio audio = node.has("audio") ? choice(node, "audio", SlateLook.Audio.class, where) : base.audio();
        String background = node.has("background") ? node.get("background").asText() : base.background();
        if (!SlateLook.isColour(background)) {
            throw new ConfigException(where + ": background must be a colour like #101820, got '"
                    + background + "'");
        }
        Optional<Path> image = node.has("image") ? Optional.of(resolve(node.get("image").asText(), baseDir))
                : base.image();
        return new Settings(visual, audio,
                node.has("title") ? node.get("title").asText() : base.title(),
                node.has("subtitle") ? node.get("subtitle").asText() : base.subtitle(),
                ChannelParser.bool(node, "show_channel", where).orElse(base.showChannel()),
                background, image,
                ChannelParser.bool(node, "show_time", where).orElse(base.showTime()),
                ChannelParser.bool(node, "show_return_time", where).orElse(base.showReturnTime()),
                node.has("time_zone") ? zone(node.get("time_zone"), where) : base.timeZone());
    }

    /** The look for one channel; checks that a {@code static} slate has its image. */
    static SlateLook look(Settings s, String channelLine, String where) {
        if (s.visual() == SlateLook.Visual.STATIC && s.image().isEmpty()) {
            throw new ConfigException(where + ": visual 'static' needs an image file");
        }
        Optional<Path> image = s.visual() == SlateLook.Visual.STATIC ? s.image() : Optional.empty();
        SlateStatus status = new SlateStatus(s.showTime(), s.showReturnTime(), s.timeZone());
        return new SlateLook(s.visual(), s.audio(), s.title(), s.subtitle(), s.showChannel() ? channelLine : "",
                s.background(), image, status.shown() ? status : SlateStatus.OFF);
    }

    /** An IANA time zone id such as Europe/Paris (or a fixed offset such as +02:00, or UTC). */
    private static ZoneId zone(JsonNode value, String where) {
        try {
            return ZoneId.of(value.asText());
        } catch (DateTimeException e) {
            throw new ConfigException(where + ": time_zone must be a time zone id such as Europe/Paris, got '"
                    + value.asText() + "'");
        }
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String key, Class<E> type, String where) {
        String value = node.get(key).asText();
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + key + " must be one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                            .toList() + ", got '" + value + "'");
        }
    }

    private static Path resolve(String text, Path baseDir) {
        Path p = Path.of(text);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
    }
}
