package dev.headend.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class SystemTimeTest {
    private static final Instant EPOCH = Instant.parse("2026-12-01T12:00:00Z");

    /**
     * A machine whose true time advances only by reading its clocks: every read costs a microsecond,
     * a wall read may be made to take longer, and the wall clock can be stepped against the true time.
     */
    private static final class Machine {
        long trueNanos = 1_000_000_000L;
        long wallOffsetNanos;
        final Deque<Long> slowWallReads = new ArrayDeque<>();

        long monotonic() {
            trueNanos += 1_000;
            return trueNanos;
        }

        Instant wall() {
            Long slow = slowWallReads.poll();
            trueNanos += slow == null ? 1_000 : slow;
            return EPOCH.plusNanos(trueNanos + wallOffsetNanos);
        }

        Instant trueWall() {
            return EPOCH.plusNanos(trueNanos + wallOffsetNanos);
        }

        SystemTime time() {
            return new SystemTime(this::monotonic, this::wall);
        }
    }

    @Test
    void momentsAreShownExactlyTheirDistanceApartWhateverTheConversionTime() {
        Machine m = new Machine();
        SystemTime time = m.time();
        Moment first = time.now();
        Moment later = first.plus(Duration.ofSeconds(3));
        Instant firstShown = time.wallTime(first);
        m.trueNanos += Duration.ofSeconds(7).toNanos();
        m.wallOffsetNanos += 300_000;

        assertThat(Duration.between(firstShown, time.wallTime(later))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aSlowFirstReadOfTheWallClockDoesNotShiftTheDatesShown() {
        Machine m = new Machine();
        m.slowWallReads.add(Duration.ofMillis(25).toNanos());
        SystemTime time = m.time();

        Instant shown = time.wallTime(time.now());

        assertThat(Duration.between(shown, m.trueWall()).abs()).isLessThan(Duration.ofNanos(20_000));
    }

    @Test
    void aStepOfTheWallClockIsFollowedByTheDatesShown() {
        Machine m = new Machine();
        SystemTime time = m.time();
        time.wallTime(time.now());
        m.trueNanos += Duration.ofSeconds(60).toNanos();
        m.wallOffsetNanos += Duration.ofMillis(90).toNanos();

        Instant shown = time.wallTime(time.now());

        assertThat(Duration.between(shown, m.trueWall()).abs()).isLessThan(Duration.ofNanos(20_000));
    }

    @Test
    void aDateShownIsNeverFurtherThanTheResyncBoundFromTheWallClock() {
        Machine m = new Machine();
        SystemTime time = m.time();
        for (int i = 0; i < 50; i++) {
            m.trueNanos += Duration.ofMillis(700).toNanos();
            m.wallOffsetNanos += Duration.ofMillis(i % 2 == 0 ? 3 : -1).toNanos() / 4;
            Instant shown = time.wallTime(time.now());
            assertThat(Duration.between(shown, m.trueWall()).abs())
                    .isLessThanOrEqualTo(SystemTime.RESYNC.plusNanos(20_000));
        }
    }

    @Test
    void theSystemClocksAgree() {
        TimeSource time = TimeSource.system();
        Instant before = Instant.now();
        Instant shown = time.wallTime(time.now());
        Instant after = Instant.now();

        assertThat(shown).isBetween(before.minus(SystemTime.RESYNC), after.plus(SystemTime.RESYNC));
    }
}
