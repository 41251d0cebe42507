package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Source choice for three sources: 3 failures in 300 s move on, 300 s stable bring a failback. */
class SourceSelectorTest {
    private final ManualTime time = new ManualTime();
    private final SourceSelector sources = new SourceSelector(3,
            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300)));

    @Test
    void threeFailuresWithinTheWindowMoveToTheNextSource() {
        assertThat(sources.failed(0, time.now())).isFalse();
        time.advance(Duration.ofSeconds(100));
        assertThat(sources.failed(0, time.now())).isFalse();
        time.advance(Duration.ofSeconds(100));

        assertThat(sources.failed(0, time.now())).isTrue();
        assertThat(sources.current()).isEqualTo(1);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        sources.failed(0, time.now());
        sources.failed(0, time.now());
        time.advance(Duration.ofSeconds(301));

        assertThat(sources.failed(0, time.now())).isFalse();
        assertThat(sources.current()).isZero();
    }

    @Test
    void failuresOfAnotherSourceThanTheCurrentDoNotMove() {
        for (int i = 0; i < 5; i++) {
            assertThat(sources.failed(2, time.now())).isFalse();
        }
        assertThat(sources.current()).isZero();
    }

    @Test
    void atStartEachSourceGetsOneTryThenTheListIsExhausted() {
        assertThat(sources.failedAtStart(0)).isTrue();
        assertThat(sources.failedAtStart(1)).isTrue();
        assertThat(sources.failedAtStart(2)).isFalse();
        assertThat(sources.current()).isEqualTo(2);
    }

    @Test
    void aFallbackStableForTheFailbackPeriodTriesTheFirstSourceAgain() {
        for (int i = 0; i < 3; i++) {
            sources.failed(0, time.now());
        }
        sources.producing(1, time.now());
        time.advance(Duration.ofSeconds(299));
        assertThat(sources.failbackDue(time.now())).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(sources.failbackDue(time.now())).isTrue();

        sources.failbackFailed(time.now());
        assertThat(sources.failbackDue(time.now())).as("a full period again").isFalse();
        time.advance(Duration.ofSeconds(300));
        sources.returnedToFirst(time.now());
        assertThat(sources.current()).isZero();
        assertThat(sources.failbackDue(time.now())).isFalse();
    }
}
