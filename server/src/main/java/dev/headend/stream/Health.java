package dev.headend.stream;

import java.time.Instant;

/** A snapshot of a stream's health and the figures it was judged on. */
public record Health(
        HealthStatus status,
        String reason,
        double fps,
        double speed,
        double bitrateKbps,
        long droppedFrames,
        Instant lastSegmentAt) {}
