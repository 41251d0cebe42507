package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

    @Test
    void doublesFromTheBaseWithHalfOfItJittered() {
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(1, 0.999999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(backoff.delay(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(4, 0.0)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void neverExceedsTheCapHoweverManyFailures() {
        assertThat(backoff.delay(10, 0.0)).as("2^9 s, half fixed").isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.delay(11, 0.0)).as("2^10 s is over the cap").isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delay(1_000_000, 0.999999)).isLessThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.delay(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void delayIsBetweenHalfAndAllOfTheCappedExponential(@ForAll @IntRange(min = 1, max = 200) int failures,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
        long full = Math.min(600_000, 1000L * (long) Math.pow(2, Math.min(failures - 1, 30)));
        Duration d = backoff.delay(failures, random);
        assertThat(d.toMillis()).isBetween(full - full / 2, full);
        assertThat(backoff.delay(failures + 1, 0.0)).isGreaterThanOrEqualTo(backoff.delay(failures, 0.0));
    }
}
