package dev.headend.channel;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One programme of a channel's guide, repeating: on each of {@code days} it starts at {@code start}
 * on the wall clock of the guide's time zone and runs for {@code duration} of that wall clock.
 *
 * <p>Invariants: the title is not blank; {@code days} is not empty; the duration is a whole
 * number of minutes from {@link #SHORTEST} to {@link #LONGEST}, so an airing ends at the latest
 * on the next day.
 */
public record GuideProgramme(String title, Optional<String> description, Optional<String> category,
        Set<DayOfWeek> days, LocalTime start, Duration duration) {
    public static final Duration SHORTEST = Duration.ofMinutes(1);
    public static final Duration LONGEST = Duration.ofHours(24);

    public GuideProgramme {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(start, "start");
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a programme needs a title");
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("programme '" + title + "' is on no day");
        }
        if (duration.compareTo(SHORTEST) < 0 || duration.compareTo(LONGEST) > 0
                || duration.toSecondsPart() != 0 || duration.toMillisPart() != 0 || duration.toNanosPart() != 0) {
            throw new IllegalArgumentException("programme '" + title + "' must last a whole number of minutes"
                    + " from 1m to 24h");
        }
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }
}
