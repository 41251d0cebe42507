package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spawn token bucket at 5 tokens per second with a capacity of 5, on a monotonic clock moved by hand. */
class TokenBucketTest {
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);
    private final ManualTime clock = new ManualTime();
    private final TokenBucket bucket = new TokenBucket(5.0, 5, clock);

    @Test
    void burstOfFiveIsImmediateAndTheSixthWaits200Ms() {
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ZERO);
        }

        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ofMillis(200));
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ofMillis(400));
    }

    @Test
    void tokensRefillOverTimeUpToTheCapacity() {
        drain();

        clock.advance(Duration.ofMillis(400));
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ZERO);
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ZERO);
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ofMillis(200));

        clock.advance(Duration.ofMinutes(10));
        drain();
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ofMillis(200));
    }

    @Test
    void reservationBeyondTheMaximumWaitIsRefusedAndConsumesNothing() {
        drain();
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve(MAX_WAIT)).isPresent();
        }

        assertThat(bucket.reserve(MAX_WAIT)).isEmpty();
        assertThat(bucket.reserve(MAX_WAIT)).isEmpty();

        clock.advance(Duration.ofMillis(200));
        assertThat(bucket.reserve(MAX_WAIT)).hasValue(MAX_WAIT);
    }

    @Test
    void reservationsFallDueAtMostBurstPlusRateTimesElapsedInAnyInterval() {
        List<Moment> due = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMillis(i % 7 * 45));
            Optional<Duration> wait = bucket.reserve(MAX_WAIT);
            wait.ifPresent(w -> due.add(clock.now().plus(w)));
        }

        assertThat(due).hasSizeGreaterThan(100).isSorted();
        for (int from = 0; from < due.size(); from++) {
            for (int to = from; to < due.size(); to++) {
                double seconds = due.get(from).until(due.get(to)).toNanos() / 1e9;
                assertThat(to - from + 1).as("reservations %d..%d", from, to).isLessThanOrEqualTo(
                        (int) Math.floor(5 + 5 * seconds + 1e-9));
            }
        }
    }

    private void drain() {
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.reserve(MAX_WAIT)).hasValue(Duration.ZERO);
        }
    }
}
