package dev.headend.stream;

import dev.headend.pipeline.ProgressStats;
import dev.headend.resilience.RestartCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Judges a live pipeline from its progress and segment flow, and says when it has stalled.
 * Thresholds: degraded below speed 0.9 or when dropped frames rose in the last
 * {@link #DROP_MEMORY}; unhealthy below 0.5 or after two target durations without a segment;
 * stalled after three target durations without a segment, or {@link #SLOW_LIMIT} below 0.9.
 * Speed is ignored during {@link #WARM_UP} after a run's first segment (FFmpeg reports its
 * start-up as slow). Not thread-safe: its stream calls it under the stream's lock, and resets it
 * when a run becomes live.
 */
final class HealthTracker {
    static final Duration SLOW_LIMIT = Duration.ofSeconds(15);
    static final Duration DROP_MEMORY = Duration.ofSeconds(10);
    static final Duration WARM_UP = Duration.ofSeconds(5);

    private final int targetDuration;
    private Instant slowSince;
    private long lastDropped;
    private Instant dropsRoseAt;

    HealthTracker(int targetDuration) {
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
     * @return the health, and a stall when the run must be restarted
     */
    Evaluation evaluate(Instant now, ProgressStats progress, Instant lastSegmentAt,
            Instant producingSince) {
        Duration quiet = Duration.between(lastSegmentAt, now);
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
        if (quiet.compareTo(Duration.ofSeconds(3L * targetDuration)) > 0) {
            stall = Optional.of(new Stall("stalled: no new segment for " + quiet.toSeconds() + " s",
                    RestartCause.STALL));
        } else if (slowSince != null && !slowSince.plus(SLOW_LIMIT).isAfter(now)) {
            stall = Optional.of(new Stall("too slow: speed " + speed + "x for " + SLOW_LIMIT.toSeconds() + " s",
                    RestartCause.UNHEALTHY));
        }
        HealthStatus status;
        String reason;
        if (quiet.compareTo(Duration.ofSeconds(2L * targetDuration)) > 0) {
            status = HealthStatus.UNHEALTHY;
            reason = "no new segment for " + quiet.toMillis() / 1000.0 + " s";
        } else if (speedKnown && speed < 0.5) {
            status = HealthStatus.UNHEALTHY;
            reason = "speed " + speed + "x";
        } else if (speedKnown && speed < 0.9) {
            status = HealthStatus.DEGRADED;
            reason = "speed " + speed + "x";
        } else if (dropsRoseAt != null && now.isBefore(dropsRoseAt.plus(DROP_MEMORY))) {
            status = HealthStatus.DEGRADED;
            reason = "dropping frames";
        } else {
            status = HealthStatus.HEALTHY;
            reason = null;
        }
        return new Evaluation(new Health(status, reason, progress.fps(), speed, progress.bitrateKbps(),
                progress.droppedFrames(), lastSegmentAt), stall);
    }

    /** A health judgement and, when the run must be replaced, why. */
    record Evaluation(Health health, Optional<Stall> stall) {}

    /** Why a run must be restarted, and the cause the restart policy is told. */
    record Stall(String reason, RestartCause cause) {}
}
