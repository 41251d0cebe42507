package dev.headend.resilience;

/**
 * Why a channel's pipeline is to be restarted. {@link #OPERATOR} and {@link #CONFIG_CHANGE} are
 * deliberate: they are not failures and waive the cooldown; every other cause is a failure.
 */
public enum RestartCause {
    /** The pipeline exited on its own. */
    CRASH,
    /** The pipeline stopped producing segments. */
    STALL,
    /** The pipeline runs but its output is judged unhealthy. */
    UNHEALTHY,
    /** The pipeline could not be spawned. */
    SPAWN_REFUSED,
    /** A pipeline started to replace a running one failed before it could take over. */
    REPLACEMENT_FAILED,
    /** An operator asked for the restart; not a failure of the channel. */
    OPERATOR,
    /** The channel's definition changed in a configuration reload; not a failure. */
    CONFIG_CHANGE;

    boolean isFailure() {
        return this != OPERATOR && this != CONFIG_CHANGE;
    }
}
