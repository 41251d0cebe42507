package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlateStatusTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** 14:05:30 in Paris (summer time, UTC+2). */
    private static final Instant NOW = Instant.parse("2026-07-14T12:05:30Z");
    private static final SlateStatus BOTH = new SlateStatus(true, true, PARIS);

    @Test
    void showsTheTimeAndTheReturnTimeRoundedUpToTheMinute() {
        assertThat(BOTH.line(NOW, Optional.of(Instant.parse("2026-07-14T12:06:31Z"))))
                .isEqualTo("14:05 · Back at about 14:07");
    }

    @Test
    void aReturnOnTheMinuteIsNotRoundedFurther() {
        assertThat(BOTH.line(NOW, Optional.of(Instant.parse("2026-07-14T12:09:00Z"))))
                .isEqualTo("14:05 · Back at about 14:09");
    }

    @Test
    void theTimeIsTruncatedToTheMinute() {
        SlateStatus time = new SlateStatus(true, false, PARIS);

        assertThat(time.line(Instant.parse("2026-07-14T12:05:59.999Z"), Optional.empty())).isEqualTo("14:05");
        assertThat(time.line(Instant.parse("2026-07-14T12:06:00Z"), Optional.empty())).isEqualTo("14:06");
    }

    @Test
    void aReturnLessThanAMinuteAwayPastOrUnknownIsInAMoment() {
        assertThat(BOTH.line(NOW, Optional.of(NOW.plus(Duration.ofSeconds(59))))).isEqualTo("14:05 · Back in a moment");
        assertThat(BOTH.line(NOW, Optional.of(NOW.minus(Duration.ofSeconds(5))))).isEqualTo("14:05 · Back in a moment");
        assertThat(BOTH.line(NOW, Optional.empty())).isEqualTo("14:05 · Back in a moment");
        assertThat(BOTH.line(NOW, Optional.of(NOW.plus(Duration.ofSeconds(60))))).isEqualTo("14:05 · Back at about 14:07");
    }

    @Test
    void onlyTheEnabledPartsAreShown() {
        Optional<Instant> back = Optional.of(Instant.parse("2026-07-14T12:30:00Z"));

        assertThat(new SlateStatus(true, false, PARIS).line(NOW, back)).isEqualTo("14:05");
        assertThat(new SlateStatus(false, true, PARIS).line(NOW, back)).isEqualTo("Back at about 14:30");
        assertThat(SlateStatus.OFF.line(NOW, back)).isEmpty();
        assertThat(SlateStatus.OFF.shown()).isFalse();
        assertThat(BOTH.shown()).isTrue();
    }

    @Test
    void timesAreInTheConfiguredZone() {
        Optional<Instant> back = Optional.of(Instant.parse("2026-07-14T12:10:00Z"));

        assertThat(new SlateStatus(true, true, ZoneId.of("Asia/Kolkata")).line(NOW, back))
                .isEqualTo("17:35 · Back at about 17:40");
        assertThat(new SlateStatus(true, true, ZoneId.of("UTC")).line(NOW, back))
                .isEqualTo("12:05 · Back at about 12:10");
    }

    @Test
    void aReturnOnAnotherDayNamesTheDay() {
        Instant lateEvening = Instant.parse("2026-07-14T21:59:00Z");

        assertThat(BOTH.line(lateEvening, Optional.of(Instant.parse("2026-07-14T22:01:10Z"))))
                .as("23:59 on Tuesday, back just after midnight").isEqualTo("23:59 · Back at about Wed 00:02");
    }
}
