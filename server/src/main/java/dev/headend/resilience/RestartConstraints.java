package dev.headend.resilience;

import dev.headend.resilience.RestartDecision.Verdict;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The per-channel constraints on one restart, before the global throttle picks its slot: the
 * channel's last restart, the end of its running cooldown and the end of its running open period.
 *
 * <p>Invariant: {@link #earliest()} is the latest of {@code now} and the constraints present; an
 * open circuit names the verdict whenever it is present, otherwise the throttle does when it moved
 * the slot past {@link #earliest()}, otherwise the cooldown does when present.
 */
record RestartConstraints(Instant now, Optional<Instant> lastRestart, Optional<Instant> cooldownEnd,
        Optional<Instant> circuitOpenUntil) {

    Instant earliest() {
        return Stream.of(cooldownEnd, circuitOpenUntil)
                .flatMap(Optional::stream)
                .reduce(now, (a, b) -> a.isAfter(b) ? a : b);
    }

    Verdict verdictFor(Instant slot) {
        if (circuitOpenUntil.isPresent()) {
            return Verdict.CIRCUIT_OPEN;
        }
        if (slot.isAfter(earliest())) {
            return Verdict.GLOBAL_THROTTLE;
        }
        return cooldownEnd.isPresent() ? Verdict.COOLDOWN : Verdict.NOW;
    }
}
