package dev.headend.channel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The status line a slate can draw: the current time and when the channel is expected back, at
 * minute resolution, in one time zone. For example {@code 14:05 · Back at about 14:07}, or
 * {@code 14:05 · Back in a moment} when the return is less than a minute away, past or unknown.
 *
 * <p>Invariants: a line is empty exactly when neither part is shown, so a slate without a status
 * line never needs another clip; the time is truncated to the minute and the return time rounded
 * up to it (never promised too early); a return on another day than now (in the zone) names its
 * day of the week. Lines hold only digits, fixed English words and the separator, never user text.
 */
public record SlateStatus(boolean showTime, boolean showReturnTime, ZoneId zone) {
    /** No status line. */
    public static final SlateStatus OFF = new SlateStatus(false, false, ZoneOffset.UTC);

    /** A return closer than this is "in a moment": a minute-resolution time would say "now". */
    static final Duration SOON = Duration.ofSeconds(60);

    private static final String SEPARATOR = " · ";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);

    public SlateStatus {
        Objects.requireNonNull(zone, "zone");
    }

    /** Whether the line has anything to show. */
    public boolean shown() {
        return showTime || showReturnTime;
    }

    /**
     * The line at {@code now} for a channel expected back at {@code returnAt}; empty when nothing
     * is shown.
     */
    public String line(Instant now, Optional<Instant> returnAt) {
        List<String> parts = new ArrayList<>(2);
        if (showTime) {
            parts.add(TIME.format(now.atZone(zone)));
        }
        if (showReturnTime) {
            parts.add(returning(now, returnAt));
        }
        return String.join(SEPARATOR, parts);
    }

    private String returning(Instant now, Optional<Instant> returnAt) {
        if (returnAt.isEmpty() || Duration.between(now, returnAt.get()).compareTo(SOON) < 0) {
            return "Back in a moment";
        }
        ZonedDateTime at = returnAt.get().atZone(zone);
        ZonedDateTime minute = at.truncatedTo(ChronoUnit.MINUTES);
        ZonedDateTime back = minute.equals(at) ? minute : minute.plusMinutes(1);
        boolean today = back.toLocalDate().equals(now.atZone(zone).toLocalDate());
        return "Back at about " + (today ? TIME : DAY_AND_TIME).format(back);
    }
}
