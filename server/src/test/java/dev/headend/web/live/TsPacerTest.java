package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headend.channel.ThrottleMode;
import dev.headend.time.Moment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pacer on simulated time: a viewer with a backlog of the stream to read (it is behind the
 * live point) and a reader of a given speed, stepped every 10 ms.
 */
class TsPacerTest {
    /** 5 Mbit/s. */
    private static final long RATE = 625_000;
    private static final Duration STEP = Duration.ofMillis(10);

    /** A simulated viewer: its pacer, the simulated clock and what it has received. */
    private static final class Viewer {
        final TsPacer pacer;
        Moment now = new Moment(1_000_000_000L);
        long received;
        /** Bytes per second the reader takes at most; 0: it reads nothing. */
        double readerRate = Double.POSITIVE_INFINITY;
        private double readerRoom;

        Viewer(ThrottleMode mode) {
            pacer = new TsPacer(mode, now);
            pacer.rate(RATE, now);
        }

        /** Runs for {@code d}; returns the bytes received meanwhile. */
        long run(Duration d) {
            long before = received;
            Moment end = now.plus(d);
            while (now.isBefore(end)) {
                now = now.plus(STEP);
                // a reader holds at most 100 ms of its own rate unread (its socket buffer)
                readerRoom = Math.min(readerRoom + readerRate * STEP.toNanos() / 1e9, readerRate / 10);
                long n = (long) Math.min(pacer.allowance(now), readerRoom);
                if (n > 0) {
                    pacer.sent(n, now);
                    readerRoom -= n;
                    received += n;
                }
            }
            return received - before;
        }
    }

    private static double seconds(long bytes) {
        return (double) bytes / RATE;
    }

    @Test
    void realtimeSendsTheTargetRateOverThirtySeconds() {
        Viewer v = new Viewer(ThrottleMode.REALTIME);

        long first = v.run(Duration.ofSeconds(1));
        long total = first + v.run(Duration.ofSeconds(29));

        assertThat(seconds(total) / 30).isCloseTo(1.0, within(0.05));
        assertThat(seconds(first)).as("no burst at the start").isLessThan(1.1);
        assertThat(v.pacer.bursting()).isFalse();
    }

    @Test
    void burstSendsTwiceTheRateUntilTheViewerHoldsTheInitialBufferThenRealTime() {
        Viewer v = new Viewer(ThrottleMode.BURST);

        long fill = v.run(TsPacer.INITIAL_BUFFER);
        assertThat(seconds(fill)).as("2 s at twice the rate").isCloseTo(4.0, within(0.1));
        v.run(Duration.ofMillis(100));
        assertThat(v.pacer.bursting()).isFalse();
        assertThat(v.pacer.aheadSeconds()).isCloseTo(2.0, within(0.15));

        long after = v.run(Duration.ofSeconds(30));
        assertThat(seconds(after) / 30).isCloseTo(1.0, within(0.05));
    }

    @Test
    void burstEndsWhenTheViewerCatchesUpWithTheLivePoint() {
        Viewer v = new Viewer(ThrottleMode.BURST);
        v.run(Duration.ofMillis(500));

        v.pacer.caughtUp(v.now);

        assertThat(v.pacer.bursting()).isFalse();
        assertThat(seconds(v.run(Duration.ofSeconds(10))) / 10).isCloseTo(1.0, within(0.05));
    }

    @Test
    void adaptiveLowersTheBurstToRealTimeForAReaderLimitedToHalfTheRate() {
        Viewer adaptive = new Viewer(ThrottleMode.ADAPTIVE);
        Viewer burst = new Viewer(ThrottleMode.BURST);
        adaptive.readerRate = RATE / 2.0;
        burst.readerRate = RATE / 2.0;

        long received = adaptive.run(Duration.ofSeconds(30));
        burst.run(Duration.ofSeconds(30));

        assertThat(seconds(received) / 30).as("the reader's own rate").isCloseTo(0.5, within(0.025));
        assertThat(adaptive.pacer.factor()).isEqualTo(1.0);
        assertThat(burst.pacer.factor()).isEqualTo(TsPacer.BURST_FACTOR);

        // the reader recovers: adaptive offers real time (its factor rises a step per window), burst twice
        // it; both also send the credit they hold (the depth: 250 ms of their rate)
        adaptive.readerRate = Double.POSITIVE_INFINITY;
        burst.readerRate = Double.POSITIVE_INFINITY;
        assertThat(seconds(adaptive.run(Duration.ofSeconds(1)))).isCloseTo(1.02 * 1.25, within(0.05));
        assertThat(seconds(burst.run(Duration.ofSeconds(1)))).isCloseTo(2.0 * 1.25, within(0.05));
    }

    @Test
    void adaptiveBurstsAtWhatAFasterButLimitedReaderTakesAndNeverBelowRealTime() {
        Viewer v = new Viewer(ThrottleMode.ADAPTIVE);
        v.readerRate = RATE * 1.5;

        for (int second = 0; second < 3; second++) {
            assertThat(seconds(v.run(Duration.ofSeconds(1)))).as("second %d", second).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(v.pacer.factor()).isCloseTo(1.5, within(0.1));
        v.run(Duration.ofSeconds(5));

        assertThat(v.pacer.bursting()).as("the initial buffer was reached").isFalse();
        assertThat(v.pacer.aheadSeconds()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void adaptiveRefillsTheBufferAfterTheReaderStalledAndBurstDoesNot() {
        Viewer adaptive = new Viewer(ThrottleMode.ADAPTIVE);
        Viewer burst = new Viewer(ThrottleMode.BURST);
        for (Viewer v : new Viewer[] {adaptive, burst}) {
            v.run(Duration.ofSeconds(10));
            v.readerRate = 0;
            v.run(Duration.ofSeconds(3));
            v.readerRate = Double.POSITIVE_INFINITY;
            v.run(Duration.ofSeconds(10));
        }

        assertThat(adaptive.pacer.aheadSeconds()).isGreaterThanOrEqualTo(2.0);
        assertThat(burst.pacer.aheadSeconds()).isLessThan(0.0);
    }

    @Test
    void aViewerThatCouldNotReadIsNeverSentMoreThanTheDepthAtOnce() {
        Viewer v = new Viewer(ThrottleMode.REALTIME);
        v.run(Duration.ofSeconds(1));
        v.readerRate = 0;
        v.run(Duration.ofSeconds(10));

        long allowance = v.pacer.allowance(v.now);

        assertThat(allowance).isLessThanOrEqualTo((long) (RATE * TsPacer.HEADROOM * 0.25) + 1);
    }

    @Test
    void untilAllowedIsTheTimeTheCreditTakesToFill() {
        Viewer v = new Viewer(ThrottleMode.REALTIME);
        v.pacer.sent(v.pacer.allowance(v.now), v.now);

        Duration wait = v.pacer.untilAllowed(RATE / 10, v.now);

        assertThat(wait.toNanos() / 1e9).isCloseTo(0.1 / TsPacer.HEADROOM, within(0.001));
        assertThat(v.pacer.untilAllowed(Long.MAX_VALUE, v.now)).as("capped at the depth")
                .isLessThanOrEqualTo(TsPacer.DEPTH.plusMillis(1));
    }

    @Test
    void disabledAndAnUnknownRateDoNotLimit() {
        Viewer disabled = new Viewer(ThrottleMode.DISABLED);
        TsPacer unknown = new TsPacer(ThrottleMode.REALTIME, disabled.now);
        unknown.rate(0, disabled.now);

        assertThat(disabled.pacer.allowance(disabled.now)).isEqualTo(Long.MAX_VALUE);
        assertThat(unknown.allowance(disabled.now)).isEqualTo(Long.MAX_VALUE);
        assertThat(unknown.untilAllowed(1 << 20, disabled.now)).isZero();
    }
}
