package dev.headend.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MomentTest {
    @Test
    void momentsCompareByTheirDifferenceSoTheOriginDoesNotMatter() {
        Moment a = new Moment(Long.MAX_VALUE - 5);
        Moment b = a.plus(Duration.ofNanos(10));

        assertThat(b.nanos()).as("wrapped past the largest long").isNegative();
        assertThat(b.isAfter(a)).isTrue();
        assertThat(a.isBefore(b)).isTrue();
        assertThat(a.until(b)).isEqualTo(Duration.ofNanos(10));
        assertThat(b.compareTo(a)).isPositive();
        assertThat(Moment.latest(a, b)).isEqualTo(b);
    }

    @Test
    void aWallTimeIsTheCurrentDateShiftedByTheDistanceToTheMoment() {
        dev.headend.support.ManualTime time = new dev.headend.support.ManualTime();

        assertThat(time.wallTime(time.now().plus(Duration.ofSeconds(90))))
                .isEqualTo(dev.headend.support.ManualTime.START_WALL.plusSeconds(90));
        assertThat(time.wallTime(time.now().minus(Duration.ofSeconds(5))))
                .isEqualTo(dev.headend.support.ManualTime.START_WALL.minusSeconds(5));
    }
}
