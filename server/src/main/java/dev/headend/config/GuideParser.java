package dev.headend.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.channel.ChannelGuide;
import dev.headend.channel.GuideProgramme;
import dev.headend.time.Durations;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a channel's {@code guide:} section: an optional {@code time_zone} and a list of
 * {@code programmes}, each with a {@code title}, optional {@code description} and {@code
 * category}, the days it is on ({@code every}: {@code day} (the default), {@code weekday},
 * {@code weekend}, or days such as {@code mon,wed,fri} or {@code [sat, sun]}), a {@code start}
 * time ({@code "HH:MM"}) and a {@code duration} ({@code 30m}, {@code 2h}). Programmes that
 * overlap are refused, naming both.
 */
final class GuideParser {
    private static final Set<String> KEYS = Set.of("time_zone", "programmes");
    private static final Set<String> PROGRAMME_KEYS = Set.of("title", "description", "category", "every", "start",
            "duration");
    private static final Pattern TIME = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private GuideParser() {}

    /**
     * The guide of a channel; empty when it has no {@code guide:} section.
     *
     * @param where names the channel in messages ({@code channel news})
     */
    static Optional<ChannelGuide> parse(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String at = where + " guide";
        if (!node.isObject()) {
            throw new ConfigException(at + " must be a mapping with 'programmes' (and optionally 'time_zone')");
        }
        ChannelParser.unknownKeys(node, KEYS, at);
        Optional<ZoneId> zone = node.hasNonNull("time_zone") ? Optional.of(zone(node.get("time_zone"), at))
                : Optional.empty();
        JsonNode items = node.get("programmes");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new ConfigException(at + ": 'programmes' must be a non-empty list");
        }
        List<GuideProgramme> programmes = new ArrayList<>();
        int index = 0;
        for (JsonNode item : items) {
            programmes.add(programme(item, at + ": programmes[" + index++ + "]"));
        }
        try {
            return Optional.of(new ChannelGuide(zone, programmes));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + ": " + e.getMessage());
        }
    }

    /** A time zone id such as Europe/Paris (or a fixed offset such as +02:00, or UTC). */
    private static ZoneId zone(JsonNode value, String where) {
        try {
            return ZoneId.of(value.asText().trim());
        } catch (DateTimeException e) {
            throw new ConfigException(where + ": time_zone must be a time zone id such as Europe/Paris, got '"
                    + value.asText() + "'");
        }
    }

    private static GuideProgramme programme(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ConfigException(where + " must be a mapping with title, start and duration");
        }
        ChannelParser.unknownKeys(node, PROGRAMME_KEYS, where);
        String title = text(node, "title", where).orElseThrow(() -> new ConfigException(where + " has no title"));
        String at = where + " ('" + title + "')";
        JsonNode start = node.get("start");
        JsonNode duration = node.get("duration");
        if (start == null || start.isNull()) {
            throw new ConfigException(at + " has no start (a time such as \"20:00\")");
        }
        if (duration == null || duration.isNull()) {
            throw new ConfigException(at + " has no duration (such as 30m or 2h)");
        }
        return new GuideProgramme(title, text(node, "description", at), text(node, "category", at),
                days(node.get("every"), at), time(start, at), duration(duration, at));
    }

    /** {@code "HH:MM"} (quoted or not). */
    private static LocalTime time(JsonNode value, String where) {
        Matcher m = TIME.matcher(value.isValueNode() ? value.asText().trim() : "");
        if (!m.matches()) {
            throw new ConfigException(where + ": start must be a time from \"00:00\" to \"23:59\", got '"
                    + (value.isValueNode() ? value.asText() : value.toString()) + "'");
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static Duration duration(JsonNode value, String where) {
        Optional<Duration> d = value.isValueNode() ? Durations.parse(value.asText()) : Optional.empty();
        if (d.isEmpty() || d.get().compareTo(GuideProgramme.SHORTEST) < 0
                || d.get().compareTo(GuideProgramme.LONGEST) > 0 || d.get().toSecondsPart() != 0
                || d.get().toMillisPart() != 0) {
            throw new ConfigException(where + ": duration must be a whole number of minutes from 1m to 24h, such as"
                    + " 30m or 2h, got '" + value.asText() + "'");
        }
        return d.get();
    }

    /** {@code every}: absent means every day. */
    private static Set<DayOfWeek> days(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        List<String> names = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> names.add(v.isValueNode() ? v.asText() : "?"));
        } else if (value.isValueNode()) {
            names.addAll(Arrays.asList(value.asText().split(",", -1)));
        } else {
            throw badDays(value, where);
        }
        Optional<Set<DayOfWeek>> group = names.size() == 1 ? group(names.getFirst()) : Optional.empty();
        if (group.isPresent()) {
            return group.get();
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String name : names) {
            int day = DAY_NAMES.indexOf(name.trim().toLowerCase(Locale.ROOT));
            if (day < 0) {
                throw badDays(value, where);
            }
            days.add(DayOfWeek.of(day + 1));
        }
        if (days.isEmpty()) {
            throw new ConfigException(where + ": every names no day");
        }
        return days;
    }

    /** {@code day}, {@code weekday} or {@code weekend}. */
    private static Optional<Set<DayOfWeek>> group(String name) {
        return Optional.ofNullable(switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "day" -> EnumSet.allOf(DayOfWeek.class);
            case "weekday" -> EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
            case "weekend" -> EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            default -> null;
        });
    }

    private static ConfigException badDays(JsonNode value, String where) {
        return new ConfigException(where + ": every must be day, weekday, weekend or days such as mon,wed,fri ("
                + String.join(", ", DAY_NAMES) + "), got '" + (value.isValueNode() ? value.asText() : value.toString())
                + "'");
    }

    private static Optional<String> text(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw new ConfigException(where + ": " + key + " must be text");
        }
        String s = v.asText().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
