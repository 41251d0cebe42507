package dev.headend.stream;

import dev.headend.pipeline.ProgressStats;
import dev.headend.resilience.RestartCause;
import dev.headend.time.Durations;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Judges a live run from its progress and segment flow, and says when it has stalled.
 * Thresholds: degraded below speed 0.9 or when dropped frames rose in the last
 * {@link #DROP_MEMORY}; unhealthy below 0.5 or after two target durations without a segment;
 * stalled after three target durations without a segment, or {@link #SLOW_LIMIT} below 0.9.
 * Speed is ignored during {@link #WARM_UP} after a run's first segment (FFmpeg reports its
 * start-up as slow). Not thread-safe: its stream's state machine owns it and resets it when a
 * run becomes live.
 */
final class HealthTracker {
    static final Duration SLOW_LIMIT = Duration.ofSeconds(15);
    static final Duration DROP_MEMORY = Duration.ofSeconds(10);
    static final Duration WARM_UP = Duration.ofSeconds(5);

    private final IntSupplier targetDuration;
    private Moment slowSince;
    private long lastDropped;
    private Moment dropsRoseAt;

    /** @param targetDuration the stream's target duration in seconds, read at each evaluation */
    HealthTracker(IntSupplier targetDuration) {
        this.targetDuration = targetDuration;
    }

    /** A run became live: forget the previous run's figures. */
    void reset() {
        slowSince = null;
        lastDropped = 0;
        dropsRoseAt = null;
    }

    /**
     * Evaluates a live run that has produced segments since {@code producingSince}.
     *
     * @param lastSegmentAt when the stream's newest segment closed
     * @return the verdict, and a stall when the run must be restarted
     */
    Evaluation evaluate(Moment now, ProgressStats progress, Moment lastSegmentAt, Moment producingSince) {
        Duration quiet = lastSegmentAt.until(now);
        boolean speedKnown = progress.speed() > 0 && !now.isBefore(producingSince.plus(WARM_UP));
        double speed = progress.speed();
        if (speedKnown && speed < 0.9) {
            slowSince = slowSince == null ? now : slowSince;
        } else {
            slowSince = null;
        }
        if (progress.droppedFrames() > lastDropped) {
            dropsRoseAt = now;
        }
        lastDropped = progress.droppedFrames();
        Optional<Stall> stall = Optional.empty();
        if (quiet.compareTo(Duration.ofSeconds(3L * targetDuration.getAsInt())) > 0) {
            stall = Optional.of(new Stall("stalled: no new segment for " + Durations.seconds(quiet), RestartCause.STALL));
        } else if (slowSince != null && !slowSince.plus(SLOW_LIMIT).isAfter(now)) {
            stall = Optional.of(new Stall("too slow: speed " + speed + "x for " + SLOW_LIMIT.toSeconds() + " s",
                    RestartCause.UNHEALTHY));
        }
        HealthVerdict verdict;
        if (quiet.compareTo(Duration.ofSeconds(2L * targetDuration.getAsInt())) > 0) {
            verdict = new HealthVerdict(HealthStatus.UNHEALTHY, "no new segment for " + Durations.seconds(quiet));
        } else if (speedKnown && speed < 0.5) {
            verdict = new HealthVerdict(HealthStatus.UNHEALTHY, "speed " + speed + "x");
        } else if (speedKnown && speed < 0.9) {
            verdict = new HealthVerdict(HealthStatus.DEGRADED, "speed " + speed + "x");
        } else if (dropsRoseAt != null && now.isBefore(dropsRoseAt.plus(DROP_MEMORY))) {
            verdict = new HealthVerdict(HealthStatus.DEGRADED, "dropping frames");
        } else {
            verdict = HealthVerdict.HEALTHY;
        }
        return new Evaluation(verdict, stall);
    }

    /** A health judgement and, when the run must be replaced, why. */
    record Evaluation(HealthVerdict verdict, Optional<Stall> stall) {}

    /** Why a run must be restarted, and the cause the restart policy is told. */
    record Stall(String reason, RestartCause cause) {}
}
