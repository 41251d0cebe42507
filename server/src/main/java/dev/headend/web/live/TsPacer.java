package dev.headend.web.live;

import dev.headend.channel.ThrottleMode;
import dev.headend.time.Moment;
import java.time.Duration;

/**
 * Paces one continuous-TS viewer: how many bytes it may be written now, as a token bucket that
 * fills at a multiple of the stream's rate. Pure: it is told the time and the rate, and what was
 * written; one instance per viewer, used by one thread.
 *
 * <p>Invariants: outside the start burst, the credit never exceeds {@link #DEPTH} of the current
 * fill rate (at least {@link #MIN_WRITE}), so a viewer that could not read, or a stream that
 * stalled, is never sent more than that at once afterwards; {@code ahead} is the media sent (in
 * seconds at the stream's rate) minus the time elapsed, i.e. the buffer the viewer holds if it
 * plays from its first byte; the fill rate is never below the stream's rate in any mode but
 * {@code disabled}; the start burst lasts at most {@link #INITIAL_BUFFER} from the viewer's
 * start.
 *
 * <ul>
 *   <li>realtime: {@link #HEADROOM} times the stream's rate;
 *   <li>burst: a start burst, as fast as the viewer reads, until the viewer is {@link
 *       #INITIAL_BUFFER} ahead or {@link #INITIAL_BUFFER} has passed (it does not end when the
 *       viewer catches up with the live point, so a stream that produces faster than real time
 *       at its start reaches the viewer as fast); then {@link #BURST_FACTOR} times the rate until
 *       the viewer is {@link #INITIAL_BUFFER} ahead or has caught up with the live point; then
 *       as realtime;
 *   <li>adaptive: as burst, and bursting again whenever the viewer's buffer falls below half the
 *       initial buffer; the burst factor is lowered to what the viewer took in an {@link
 *       #ADAPT_WINDOW} where it was offered more than it took (and was not waiting for the
 *       stream), and raised again by {@link #ADAPT_STEP} per window in which it kept up;
 *   <li>disabled: no limit.
 * </ul>
 *
 * <p>The rate is in bytes per second; 0 (not known yet) means no limit.
 */
final class TsPacer {
    /** Realtime sends slightly faster than the measured rate, so a viewer never drifts behind the live point. */
    static final double HEADROOM = 1.02;
    static final double BURST_FACTOR = 2.0;
    /**
     * The buffer a burst gives a new viewer: more than the 5 s of an MPEG-TS that FFmpeg's demuxer
     * (ffmpeg, ffplay and the players built on libavformat) reads before it decodes anything, so
     * such a player starts as soon as it has received it, and enough for any player to ride out
     * jitter.
     */
    static final Duration INITIAL_BUFFER = Duration.ofSeconds(6);
    /** Credit is capped at this much of the fill rate. */
    static final Duration DEPTH = Duration.ofMillis(250);
    static final Duration ADAPT_WINDOW = Duration.ofSeconds(2);
    static final double ADAPT_STEP = 0.25;
    /** Seven TS packets, one UDP datagram's worth: the least worth a write. */
    static final int MIN_WRITE = 7 * 188;
    /** A viewer that took less than this share of what it was offered could not keep up. */
    private static final double KEPT_UP = 0.9;

    private final ThrottleMode mode;
    private final double initialBuffer;
    /** When the start burst ends at the latest. */
    private final Moment startBurstEnd;
    private boolean startBursting;
    private long rate;
    private Moment last;
    private double credit = MIN_WRITE;
    private double ahead;
    private boolean bursting;
    private double factor = BURST_FACTOR;
    private Moment windowStart;
    private double windowOffered;
    private long windowSent;
    private boolean windowWaited;

    TsPacer(ThrottleMode mode, Moment start) {
        this.mode = mode;
        this.initialBuffer = seconds(INITIAL_BUFFER);
        this.last = start;
        this.windowStart = start;
        this.bursting = mode == ThrottleMode.BURST || mode == ThrottleMode.ADAPTIVE;
        this.startBursting = bursting;
        this.startBurstEnd = start.plus(INITIAL_BUFFER);
    }

    /** Sets the stream's rate (bytes per second; 0: unknown, no limit) from {@code now} on. */
    void rate(long bytesPerSecond, Moment now) {
        advance(now);
        rate = Math.max(0, bytesPerSecond);
    }

    /** Bytes that may be written now. */
    long allowance(Moment now) {
        advance(now);
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        // the start burst sends the rest of the initial buffer at once
        return startBursting ? Math.max(MIN_WRITE, (long) Math.ceil((initialBuffer - ahead) * rate)) : (long) credit;
    }

    /** How long until {@code bytes} (or as much as the credit can ever hold) may be written. */
    Duration untilAllowed(long bytes, Moment now) {
        advance(now);
        if (unlimited() || startBursting) {
            return Duration.ZERO;
        }
        double need = Math.min(bytes, depth()) - credit;
        return need <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(need / fillRate() * 1e9));
    }

    /** {@code bytes} were written, finishing at {@code now}. */
    void sent(long bytes, Moment now) {
        advance(now);
        if (unlimited()) {
            return;
        }
        ahead += (double) bytes / rate;
        if (startBursting) {
            startBursting = ahead < initialBuffer;
        } else {
            windowSent += bytes;
            credit = Math.max(0, credit - bytes);
        }
        if (ahead >= initialBuffer) {
            bursting = false;
        }
    }

    /** The viewer has everything the stream has produced (it waits for the stream, not the other way round). */
    void caughtUp(Moment now) {
        advance(now);
        if (startBursting) {
            return; // what the stream produces next may come faster than real time: it is sent as it comes
        }
        windowWaited = true;
        ahead = Math.max(ahead, initialBuffer);
        bursting = false;
    }

    /** True while the fill rate is the burst's (or unlimited, in the start burst). */
    boolean bursting() {
        return bursting;
    }

    /** True during the start burst, while the viewer is sent as fast as it reads. */
    boolean startBursting() {
        return startBursting;
    }

    /** The current burst factor (lowered by adaptive for a viewer that cannot keep up). */
    double factor() {
        return factor;
    }

    /** The buffer the viewer holds if it plays from its first byte, in seconds. */
    double aheadSeconds() {
        return ahead;
    }

    private boolean unlimited() {
        return mode == ThrottleMode.DISABLED || rate == 0;
    }

    private double fillRate() {
        return rate * (bursting ? Math.max(factor, HEADROOM) : HEADROOM);
    }

    private double depth() {
        return Math.max(MIN_WRITE, fillRate() * seconds(DEPTH));
    }

    private void advance(Moment now) {
        double dt = seconds(last.until(now));
        if (dt <= 0) {
            return;
        }
        last = now;
        if (unlimited()) {
            windowStart = now;
            return;
        }
        if (startBursting) {
            ahead -= dt;
            windowStart = now; // adaptive measures what the viewer takes from the end of the start burst on
            startBursting = now.isBefore(startBurstEnd);
            return;
        }
        double offered = fillRate() * dt;
        credit = Math.min(credit + offered, depth());
        ahead -= dt;
        windowOffered += offered;
        if (mode == ThrottleMode.ADAPTIVE) {
            adapt(now);
            if (!bursting && ahead < initialBuffer / 2) {
                bursting = true;
            }
        }
    }

    /** At the end of each window: lowers the factor to what a viewer that fell short took, or raises it a step. */
    private void adapt(Moment now) {
        Duration open = windowStart.until(now);
        if (open.compareTo(ADAPT_WINDOW) < 0) {
            return;
        }
        if (!windowWaited && bursting) {
            if (windowSent < KEPT_UP * windowOffered) {
                factor = Math.max(1.0, Math.min(factor, windowSent / (rate * seconds(open))));
            } else {
                factor = Math.min(BURST_FACTOR, factor + ADAPT_STEP);
            }
        }
        windowStart = now;
        windowOffered = 0;
        windowSent = 0;
        windowWaited = false;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
