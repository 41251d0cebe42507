package dev.headend.resilience;

import dev.headend.time.Moment;
import java.util.Objects;

/**
 * When a channel's pipeline may be restarted, and why.
 *
 * <p>Invariant: {@code at} is the decision time for {@link Verdict#NOW}; for any other verdict it is
 * the earliest time the restart may happen, and the verdict names the constraint that set it.
 */
public record RestartDecision(Moment at, Verdict verdict, String explanation) {
    /** The constraint that determined {@code at}. */
    public enum Verdict {
        /** Nothing holds the restart back. */
        NOW,
        /** The channel was restarted too recently. */
        COOLDOWN,
        /** The server-wide restart budget for the window is taken. */
        GLOBAL_THROTTLE,
        /** The channel's circuit breaker is open. */
        CIRCUIT_OPEN
    }

    public RestartDecision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(explanation, "explanation");
    }
}
