package dev.headend.channel;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A channel's programme guide: programmes repeating on days of the week at wall-clock times of
 * one time zone (none: the server's {@code guide_time_zone}).
 *
 * <p>Invariant: no two programmes overlap on the wall clock of a week, a programme running past
 * midnight included (one running past Sunday midnight meets Monday's). Wall-clock times become
 * instants in a way that never reverses their order, so airings never overlap either: a time the
 * clocks skip (spring forward) is the instant they skip at; a time they repeat (fall back) is its
 * first occurrence. A programme that spans a change of clocks is therefore an hour shorter or
 * longer that night, as in a printed schedule, and one wholly inside a skipped hour does not air.
 */
public record ChannelGuide(Optional<ZoneId> timeZone, List<GuideProgramme> programmes) {
    private static final int MINUTES_PER_DAY = 24 * 60;
    private static final int MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

    /** One airing of a programme. */
    public record Airing(GuideProgramme programme, Instant start, Instant stop) {}

    /** A programme's time on the wall clock of a week, in minutes from Monday 00:00. */
    private record Slot(GuideProgramme programme, DayOfWeek day, int from, int to) {}

    public ChannelGuide {
        programmes = List.copyOf(programmes);
        if (programmes.isEmpty()) {
            throw new IllegalArgumentException("a guide needs at least one programme");
        }
        checkNoOverlap(programmes);
    }

    /**
     * The airings that overlap {@code from}–{@code to}, by start; the first may start before
     * {@code from} and the last end after {@code to}.
     *
     * @param defaultZone the zone of a guide without its own
     */
    public List<Airing> airings(Instant from, Instant to, ZoneId defaultZone) {
        ZoneId zone = timeZone.orElse(defaultZone);
        List<Airing> airings = new ArrayList<>();
        LocalDate last = to.atZone(zone).toLocalDate();
        // a programme lasts at most a day, so one that started the day before may still be on
        for (LocalDate day = from.atZone(zone).toLocalDate().minusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
            for (GuideProgramme p : programmes) {
                if (p.days().contains(day.getDayOfWeek())) {
                    LocalDateTime start = day.atTime(p.start());
                    Instant begins = instant(start, zone);
                    Instant ends = instant(start.plus(p.duration()), zone);
                    if (begins.isBefore(ends) && begins.isBefore(to) && ends.isAfter(from)) {
                        airings.add(new Airing(p, begins, ends));
                    }
                }
            }
        }
        airings.sort(Comparator.comparing(Airing::start));
        return List.copyOf(airings);
    }

    /** The instant of a wall-clock time, never reversing the order of two of them (see the class comment). */
    private static Instant instant(LocalDateTime time, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        if (rules.getValidOffsets(time).isEmpty()) {
            return rules.getTransition(time).getInstant();
        }
        return ZonedDateTime.ofLocal(time, zone, null).toInstant();
    }

    private static void checkNoOverlap(List<GuideProgramme> programmes) {
        List<Slot> slots = new ArrayList<>();
        for (GuideProgramme p : programmes) {
            for (DayOfWeek day : p.days()) {
                int from = (day.getValue() - 1) * MINUTES_PER_DAY + p.start().getHour() * 60 + p.start().getMinute();
                int to = from + (int) p.duration().toMinutes();
                slots.add(new Slot(p, day, from, to));
                if (to > MINUTES_PER_WEEK) {
                    slots.add(new Slot(p, day, from - MINUTES_PER_WEEK, to - MINUTES_PER_WEEK));
                }
            }
        }
        slots.sort(Comparator.comparingInt(Slot::from));
        // sorted by start, any overlap shows between neighbours
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).from() < slots.get(i - 1).to()) {
                throw new IllegalArgumentException("programmes " + describe(slots.get(i - 1)) + " and "
                        + describe(slots.get(i)) + " overlap");
            }
        }
    }

    private static String describe(Slot s) {
        return "'" + s.programme().title() + "' (" + s.day().name().substring(0, 3).toLowerCase(Locale.ROOT) + " "
                + s.programme().start() + ", " + s.programme().duration().toMinutes() + " min)";
    }
}
