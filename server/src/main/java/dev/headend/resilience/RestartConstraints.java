package dev.headend.resilience;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.time.Moment;
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
record RestartConstraints(Moment now, Optional<Moment> lastRestart, Optional<Moment> cooldownEnd,
        Optional<Moment> circuitOpenUntil) {

    Moment earliest() {
        return Stream.of(cooldownEnd, circuitOpenUntil)
                .flatMap(Optional::stream)
                .reduce(now, Moment::latest);
    }

    Verdict verdictFor(Moment slot) {
        if (circuitOpenUntil.isPresent()) {
            return Verdict.CIRCUIT_OPEN;
        }
        if (slot.isAfter(earliest())) {
            return Verdict.GLOBAL_THROTTLE;
        }
        return cooldownEnd.isPresent() ? Verdict.COOLDOWN : Verdict.NOW;
    }
}
