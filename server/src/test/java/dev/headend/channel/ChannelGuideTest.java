package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Airings of repeating programmes, across the changes of clocks of Europe/Paris in 2026 (29 March, 25 October). */
class ChannelGuideTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);

    private static GuideProgramme programme(String title, Set<DayOfWeek> days, String start, Duration duration) {
        return new GuideProgramme(title, Optional.empty(), Optional.empty(), days, LocalTime.parse(start), duration);
    }

    private static List<String> airings(ChannelGuide guide, String from, String to) {
        return guide.airings(Instant.parse(from), Instant.parse(to), ZoneOffset.UTC).stream()
                .map(a -> a.programme().title() + " " + a.start() + " " + a.stop()).toList();
    }

    @Test
    void aDailyProgrammeKeepsItsWallClockTimeWhenTheClocksGoForward() {
        ChannelGuide guide = new ChannelGuide(Optional.of(PARIS),
                List.of(programme("News", EVERY_DAY, "20:00", Duration.ofHours(1))));

        assertThat(airings(guide, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z")).containsExactly(
                "News 2026-03-28T19:00:00Z 2026-03-28T20:00:00Z",
                "News 2026-03-29T18:00:00Z 2026-03-29T19:00:00Z");
    }

    @Test
    void theNightTheClocksChangeAProgrammeIsShorterOrLongerOnTheWallClock() {
        ChannelGuide guide = new ChannelGuide(Optional.of(PARIS),
                List.of(programme("Film", EnumSet.of(DayOfWeek.SUNDAY), "01:00", Duration.ofHours(3))));

        assertThat(airings(guide, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z")).as("01:00 CET to 04:00 CEST")
                .containsExactly("Film 2026-03-29T00:00:00Z 2026-03-29T02:00:00Z");
        assertThat(airings(guide, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z")).as("01:00 CEST to 04:00 CET")
                .containsExactly("Film 2026-10-24T23:00:00Z 2026-10-25T03:00:00Z");
    }

    @Test
    void aTimeTheClocksSkipIsTheMomentTheySkipAtSoAiringsNeverOverlap() {
        ChannelGuide guide = new ChannelGuide(Optional.of(PARIS), List.of(
                programme("Skipped", EVERY_DAY, "02:00", Duration.ofMinutes(30)),
                programme("Half", EVERY_DAY, "02:30", Duration.ofHours(1)),
                programme("Early", EVERY_DAY, "03:30", Duration.ofMinutes(30))));

        assertThat(airings(guide, "2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z")).containsExactly(
                "Half 2026-03-29T01:00:00Z 2026-03-29T01:30:00Z",
                "Early 2026-03-29T01:30:00Z 2026-03-29T02:00:00Z");
    }

    @Test
    void aRepeatedTimeIsItsFirstOccurrence() {
        ChannelGuide guide = new ChannelGuide(Optional.of(PARIS), List.of(
                programme("First", EVERY_DAY, "02:15", Duration.ofMinutes(15)),
                programme("Across", EVERY_DAY, "02:30", Duration.ofMinutes(60))));

        assertThat(airings(guide, "2026-10-25T00:00:00Z", "2026-10-25T03:00:00Z")).containsExactly(
                "First 2026-10-25T00:15:00Z 2026-10-25T00:30:00Z",
                "Across 2026-10-25T00:30:00Z 2026-10-25T02:30:00Z");
    }

    @Test
    void airingsOverlappingTheSpanAreGivenWholeAndTheDefaultZoneServesAGuideWithoutOne() {
        ChannelGuide guide = new ChannelGuide(Optional.empty(), List.of(
                programme("Late", EnumSet.of(DayOfWeek.SUNDAY), "23:00", Duration.ofHours(2)),
                programme("Weekday", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "06:00",
                        Duration.ofMinutes(90))));

        assertThat(guide.airings(Instant.parse("2026-03-29T22:30:00Z"), Instant.parse("2026-03-30T06:01:00Z"),
                ZoneOffset.ofHours(2)).stream().map(a -> a.programme().title() + " " + a.start()).toList())
                .containsExactly("Late 2026-03-29T21:00:00Z", "Weekday 2026-03-30T04:00:00Z");
        assertThat(airings(guide, "2026-03-30T01:00:00Z", "2026-03-30T06:30:00Z")).as("Late ended at 01:00")
                .containsExactly("Weekday 2026-03-30T06:00:00Z 2026-03-30T07:30:00Z");
    }

    @Test
    void overlappingProgrammesAreRefusedAcrossMidnightAndTheEndOfTheWeek() {
        assertThatThrownBy(() -> new ChannelGuide(Optional.empty(), List.of(
                programme("A", EVERY_DAY, "20:00", Duration.ofHours(1)),
                programme("B", EnumSet.of(DayOfWeek.TUESDAY), "20:30", Duration.ofHours(1)))))
                .hasMessage("programmes 'A' (tue 20:00, 60 min) and 'B' (tue 20:30, 60 min) overlap");
        assertThatThrownBy(() -> new ChannelGuide(Optional.empty(), List.of(
                programme("Late", EnumSet.of(DayOfWeek.SUNDAY), "23:00", Duration.ofHours(2)),
                programme("Monday", EnumSet.of(DayOfWeek.MONDAY), "00:30", Duration.ofHours(1)))))
                .hasMessage("programmes 'Late' (sun 23:00, 120 min) and 'Monday' (mon 00:30, 60 min) overlap");
        assertThat(new ChannelGuide(Optional.empty(), List.of(
                programme("All day", EVERY_DAY, "00:00", Duration.ofHours(24)))).programmes()).hasSize(1);
    }

    @Test
    void aProgrammeLastsWholeMinutesUpToADayOnSomeDay() {
        assertThatThrownBy(() -> programme("A", EVERY_DAY, "20:00", Duration.ofSeconds(90)))
                .hasMessage("programme 'A' must last a whole number of minutes from 1m to 24h");
        assertThatThrownBy(() -> programme("A", EVERY_DAY, "20:00", Duration.ofHours(25)))
                .hasMessage("programme 'A' must last a whole number of minutes from 1m to 24h");
        assertThatThrownBy(() -> programme("A", Set.of(), "20:00", Duration.ofHours(1)))
                .hasMessage("programme 'A' is on no day");
        assertThatThrownBy(() -> programme(" ", EVERY_DAY, "20:00", Duration.ofHours(1)))
                .hasMessage("a programme needs a title");
        assertThatThrownBy(() -> new ChannelGuide(Optional.empty(), List.of()))
                .hasMessage("a guide needs at least one programme");
    }
}
