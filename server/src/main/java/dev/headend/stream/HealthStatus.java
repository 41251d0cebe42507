package dev.headend.stream;

/** A stream's health, from FFmpeg's progress and the segment flow. */
public enum HealthStatus {
    /** Producing in real time. */
    HEALTHY,
    /** Speed below 0.9, or frames being dropped. */
    DEGRADED,
    /** Speed below 0.5, or no segment for two target durations. */
    UNHEALTHY,
    /** Dead: restarting, held by an open circuit, or failed. */
    FAILED
}
