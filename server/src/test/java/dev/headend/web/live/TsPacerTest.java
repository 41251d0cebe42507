package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headend.channel.ThrottleMode;
import dev.headend.time.Moment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pacer on simulated time: a viewer with a backlog of the stream to read (far behind the live
 * point, unless a test says how much the stream holds for it), a stream producing at a given
 * speed and a reader of a given speed, stepped every 10 ms.
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
        /** Bytes the stream holds that the viewer has not been sent; infinite: it is far behind the live point. */
        double available = Double.POSITIVE_INFINITY;
        /** Bytes per second the stream produces. */
        double produced = RATE;

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
                available += produced * STEP.toNanos() / 1e9;
                long n = (long) Math.min(Math.min(pacer.allowance(now), readerRoom), available);
                if (n > 0) {
                    pacer.sent(n, now);
                    readerRoom -= n;
                    available -= n;
                    received += n;
                }
                if (available < 1) {
                    pacer.caughtUp(now); // as the route does when the stream has nothing more for it
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
    void burstSendsTheInitialBufferAtOnceThenRealTime() {
        Viewer v = new Viewer(ThrottleMode.BURST);

        long start = v.run(STEP);
        assertThat(seconds(start)).as("the initial buffer in the first write").isCloseTo(
                TsPacer.INITIAL_BUFFER.toNanos() / 1e9, within(0.01));
        assertThat(v.pacer.startBursting()).isFalse();
        assertThat(v.pacer.bursting()).isFalse();

        long after = v.run(Duration.ofSeconds(30));
        assertThat(seconds(after) / 30).isCloseTo(1.0, within(0.05));
    }

    @Test
    void burstSendsTwiceTheRateAfterAStartBurstTheReaderCouldNotTake() {
        Viewer v = new Viewer(ThrottleMode.BURST);
        v.readerRate = RATE / 2.0;
        v.run(TsPacer.INITIAL_BUFFER.plus(STEP));
        assertThat(v.pacer.startBursting()).as("the start burst lasts the initial buffer at most").isFalse();
        assertThat(v.pacer.bursting()).isTrue();

        v.readerRate = Double.POSITIVE_INFINITY;
        assertThat(seconds(v.run(Duration.ofSeconds(1)))).as("twice the rate (no credit was saved in the start burst)")
                .isCloseTo(2.0, within(0.05));
    }

    @Test
    void theStartBurstPassesOnAStreamThatProducesFasterThanRealTime() {
        Viewer v = new Viewer(ThrottleMode.BURST);
        v.available = RATE / 2.0; // the first half second of a stream that just started
        v.produced = RATE * 5.0; // which produces its first seconds five times faster than real time

        long first = v.run(Duration.ofSeconds(1));

        assertThat(seconds(first)).as("all the stream produced").isCloseTo(5.5, within(0.05));
        assertThat(v.pacer.startBursting()).as("caught up, but not yet the initial buffer ahead").isTrue();
    }

    @Test
    void atTheLivePointOfARealTimeStreamTheStartBurstEndsAfterTheInitialBuffer() {
        Viewer v = new Viewer(ThrottleMode.BURST);
        v.available = RATE / 2.0;

        v.run(TsPacer.INITIAL_BUFFER.minus(STEP));
        assertThat(v.pacer.startBursting()).isTrue();
        v.run(STEP.multipliedBy(2));

        assertThat(v.pacer.startBursting()).isFalse();
        assertThat(v.pacer.bursting()).as("it caught up with the live point").isFalse();
        v.available = 0;
        v.produced = RATE * 3.0; // a stream that stalled, then delivers what it held
        assertThat(seconds(v.run(Duration.ofSeconds(1)))).as("paced as realtime")
                .isCloseTo(TsPacer.HEADROOM, within(0.05));
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

        // the start burst (the reader's speed), then one adaptation window
        long seconds = TsPacer.INITIAL_BUFFER.plus(TsPacer.ADAPT_WINDOW).toSeconds();
        for (int second = 0; second < seconds; second++) {
            assertThat(seconds(v.run(Duration.ofSeconds(1)))).as("second %d", second).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(v.pacer.factor()).isCloseTo(1.5, within(0.1));
        v.run(Duration.ofSeconds(10));

        assertThat(v.pacer.bursting()).as("the initial buffer was reached").isFalse();
        assertThat(v.pacer.aheadSeconds()).isGreaterThanOrEqualTo(TsPacer.INITIAL_BUFFER.toSeconds());
    }

    @Test
    void adaptiveRefillsTheBufferAfterTheReaderStalledAndBurstDoesNot() {
        Viewer adaptive = new Viewer(ThrottleMode.ADAPTIVE);
        Viewer burst = new Viewer(ThrottleMode.BURST);
        for (Viewer v : new Viewer[] {adaptive, burst}) {
            v.run(Duration.ofSeconds(10));
            v.readerRate = 0;
            v.run(TsPacer.INITIAL_BUFFER.plusSeconds(1));
            v.readerRate = Double.POSITIVE_INFINITY;
            v.run(Duration.ofSeconds(20));
        }

        assertThat(adaptive.pacer.aheadSeconds()).isGreaterThanOrEqualTo(TsPacer.INITIAL_BUFFER.toSeconds() / 2.0);
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
