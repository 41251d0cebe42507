package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelGuide;
import dev.headend.channel.GuideProgramme;
import dev.headend.support.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A channel's {@code guide:} section: what it gives, and every way it is refused. */
class GuideConfigTest {
    @TempDir
    Path dir;

    private Channel load(String guideYaml) throws IOException {
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, """
                channels:
                  - id: news
                    source: "test:"
                """ + guideYaml.indent(4));
        return new ConfigLoader(Map.of()).load(file).channels().getFirst();
    }

    private void assertRefused(String guideYaml, String message) {
        assertThatThrownBy(() -> load(guideYaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aGuideHasProgrammesWithTheirDaysTimesAndTexts() throws IOException {
        Channel news = load("""
                guide:
                  time_zone: Europe/Paris
                  programmes:
                    - title: Morning news
                      description: The day's first bulletin
                      category: News
                      every: weekday
                      start: "07:00"
                      duration: 90m
                    - title: Weekend brunch
                      every: weekend
                      start: "9:30"
                      duration: 2h
                    - title: Film
                      every: [mon, Wed, fri]
                      start: "21:00"
                      duration: 3h
                    - title: Late show
                      every: tue, thu
                      start: "23:00"
                      duration: 1h
                    - title: Night
                      start: 03:00
                      duration: 60m
                """);

        ChannelGuide guide = news.guide().orElseThrow();
        assertThat(guide.timeZone()).contains(ZoneId.of("Europe/Paris"));
        assertThat(guide.programmes()).containsExactly(
                new GuideProgramme("Morning news", Optional.of("The day's first bulletin"), Optional.of("News"),
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(7, 0), Duration.ofMinutes(90)),
                new GuideProgramme("Weekend brunch", Optional.empty(), Optional.empty(),
                        EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(9, 30), Duration.ofHours(2)),
                new GuideProgramme("Film", Optional.empty(), Optional.empty(),
                        EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY), LocalTime.of(21, 0),
                        Duration.ofHours(3)),
                new GuideProgramme("Late show", Optional.empty(), Optional.empty(),
                        EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY), LocalTime.of(23, 0), Duration.ofHours(1)),
                new GuideProgramme("Night", Optional.empty(), Optional.empty(), EnumSet.allOf(DayOfWeek.class),
                        LocalTime.of(3, 0), Duration.ofHours(1)));
    }

    @Test
    void withoutAGuideOrATimeZoneTheyAreAbsent() throws IOException {
        assertThat(load("").guide()).isEmpty();
        assertThat(load("guide:\n  programmes: [{title: A, start: \"00:00\", duration: 24h}]").guide()
                .orElseThrow().timeZone()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "guide: [a] | channel news guide must be a mapping with 'programmes' (and optionally 'time_zone')",
            "guide: {programs: []} | channel news guide: unknown key 'programs' (allowed: programmes, time_zone)",
            "guide: {time_zone: UTC} | channel news guide: 'programmes' must be a non-empty list",
            "guide: {programmes: []} | channel news guide: 'programmes' must be a non-empty list",
            "guide: {programmes: {title: A}} | channel news guide: 'programmes' must be a non-empty list",
            "guide: {time_zone: Mars/Olympus, programmes: [{title: A, start: '01:00', duration: 1h}]}"
                    + " | channel news guide: time_zone must be a time zone id such as Europe/Paris, got"
                    + " 'Mars/Olympus'",
            "guide: {programmes: [news]} | channel news guide: programmes[0] must be a mapping with title, start and"
                    + " duration",
            "guide: {programmes: [{start: '01:00', duration: 1h}]} | channel news guide: programmes[0] has no title",
            "guide: {programmes: [{title: ' ', start: '01:00', duration: 1h}]} | channel news guide: programmes[0]"
                    + " has no title",
            "guide: {programmes: [{title: [A], start: '01:00', duration: 1h}]} | channel news guide: programmes[0]:"
                    + " title must be text",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, repeat: daily}]} | channel news guide:"
                    + " programmes[0]: unknown key 'repeat' (allowed: category, description, duration, every, start,"
                    + " title)",
            "guide: {programmes: [{title: A, duration: 1h}]} | channel news guide: programmes[0] ('A') has no start"
                    + " (a time such as \"20:00\")",
            "guide: {programmes: [{title: A, start: '01:00'}]} | channel news guide: programmes[0] ('A') has no"
                    + " duration (such as 30m or 2h)",
            "guide: {programmes: [{title: A, start: 7, duration: 1h}]} | channel news guide: programmes[0]"
                    + " ('A'): start must be a time from \"00:00\" to \"23:59\", got '7'",
            "guide: {programmes: [{title: A, start: [7], duration: 1h}]} | channel news guide: programmes[0]"
                    + " ('A'): start must be a time from \"00:00\" to \"23:59\", got '[7]'",
            "guide: {programmes: [{title: A, start: '24:00', duration: 1h}]} | channel news guide: programmes[0]"
                    + " ('A'): start must be a time from \"00:00\" to \"23:59\", got '24:00'",
            "guide: {programmes: [{title: A, start: '7pm', duration: 1h}]} | channel news guide: programmes[0]"
                    + " ('A'): start must be a time from \"00:00\" to \"23:59\", got '7pm'",
            "guide: {programmes: [{title: A, start: '07:00:30', duration: 1h}]} | channel news guide: programmes[0]"
                    + " ('A'): start must be a time from \"00:00\" to \"23:59\", got '07:00:30'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 90s}]} | channel news guide: programmes[0]"
                    + " ('A'): duration must be a whole number of minutes from 1m to 24h, such as 30m or 2h, got '90s'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 25h}]} | channel news guide: programmes[0]"
                    + " ('A'): duration must be a whole number of minutes from 1m to 24h, such as 30m or 2h, got '25h'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 0m}]} | channel news guide: programmes[0]"
                    + " ('A'): duration must be a whole number of minutes from 1m to 24h, such as 30m or 2h, got '0m'",
            "guide: {programmes: [{title: A, start: '01:00', duration: an hour}]} | channel news guide:"
                    + " programmes[0] ('A'): duration must be a whole number of minutes from 1m to 24h, such as 30m"
                    + " or 2h, got 'an hour'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, every: daily}]} | channel news guide:"
                    + " programmes[0] ('A'): every must be day, weekday, weekend or days such as mon,wed,fri (mon,"
                    + " tue, wed, thu, fri, sat, sun), got 'daily'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, every: 'mon,,tue'}]} | channel news"
                    + " guide: programmes[0] ('A'): every must be day, weekday, weekend or days such as mon,wed,fri"
                    + " (mon, tue, wed, thu, fri, sat, sun), got 'mon,,tue'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, every: [monday]}]} | channel news guide:"
                    + " programmes[0] ('A'): every must be day, weekday, weekend or days such as mon,wed,fri (mon, tue,"
                    + " wed, thu, fri, sat, sun), got '[\"monday\"]'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, every: {mon: true}}]} | channel news"
                    + " guide: programmes[0] ('A'): every must be day, weekday, weekend or days such as mon,wed,fri"
                    + " (mon, tue, wed, thu, fri, sat, sun), got '{\"mon\":true}'",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, every: []}]} | channel news guide:"
                    + " programmes[0] ('A'): every names no day",
            "guide: {programmes: [{title: A, start: '01:00', duration: 1h, category: [News, Sport]}]} | channel news"
                    + " guide: programmes[0] ('A'): category must be text",
            "guide: {programmes: [{title: A, start: '20:00', duration: 2h}, {title: B, every: sat, start: '21:00',"
                    + " duration: 30m}]} | channel news guide: programmes 'A' (sat 20:00, 120 min) and 'B' (sat 21:00,"
                    + " 30 min) overlap"})
    void aBadGuideIsRefusedSayingWhatIsWrong(String guideYaml, String message) {
        assertRefused(guideYaml, message);
    }

    @Test
    void theExampleConfigurationShowsAGuide() {
        ChannelGuide guide = new ConfigLoader(Map.of()).load(Project.file("config/example.yml")).channels().stream()
                .filter(c -> c.id().equals("news-hls")).findFirst().orElseThrow().guide().orElseThrow();

        assertThat(guide.timeZone()).contains(ZoneId.of("Europe/Paris"));
        assertThat(guide.programmes()).extracting(GuideProgramme::title)
                .containsExactly("Morning News", "Evening News", "Weekend Review");
    }

    @Test
    void aGuideIsReadInOnePlaceForEveryChannel() throws IOException {
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, """
                channels:
                  - id: one
                    source: "test:"
                    guide: {programmes: [{title: A, start: "01:00", duration: 1h}]}
                  - id: two
                    source: "test:"
                    guide: {programmes: [{title: A, start: "01:00", duration: 2h}]}
                """);

        List<Channel> channels = new ConfigLoader(Map.of()).load(file).channels();

        assertThat(channels).extracting(c -> c.guide().orElseThrow().programmes().getFirst().duration())
                .containsExactly(Duration.ofHours(1), Duration.ofHours(2));
    }
}
