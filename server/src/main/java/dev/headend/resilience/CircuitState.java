package dev.headend.resilience;

/** The state of a channel's circuit breaker, as reported to the API and metrics. */
public enum CircuitState {
    /** Restarts are allowed; failures are being counted. */
    CLOSED,
    /** Too many failures: restarts wait for the end of the open period. */
    OPEN,
    /** The open period is over and one probe attempt is running. */
    HALF_OPEN
}
