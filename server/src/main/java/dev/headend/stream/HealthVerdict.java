package dev.headend.stream;

/** A stream's health status and, unless healthy, why. */
public record HealthVerdict(HealthStatus status, String reason) {
    static final HealthVerdict HEALTHY = new HealthVerdict(HealthStatus.HEALTHY, null);
}
