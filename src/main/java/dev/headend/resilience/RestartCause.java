package dev.headend.resilience;

/** Why a channel's pipeline is to be restarted. Every cause but {@link #OPERATOR} is a failure. */
public enum RestartCause {
    /** The pipeline exited on its own. */
    CRASH,
    /** The pipeline stopped producing segments. */
    STALL,
    /** The pipeline runs but its output is judged unhealthy. */
    UNHEALTHY,
    /** The pipeline could not be spawned. */
    SPAWN_REFUSED,
    /** An operator asked for the restart; not a failure of the channel. */
    OPERATOR;

    boolean isFailure() {
        return this != OPERATOR;
    }
}
