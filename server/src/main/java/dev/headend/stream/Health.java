package dev.headend.stream;

import java.time.Instant;
import java.util.Optional;

/**
 * A stream's health as shown: the verdict and the figures it was judged on.
 *
 * @param lastSegmentAt when the newest segment ended, by the wall clock; empty before the first
 */
public record Health(
        HealthStatus status,
        String reason,
        double fps,
        double speed,
        double bitrateKbps,
        long droppedFrames,
        Optional<Instant> lastSegmentAt) {}
