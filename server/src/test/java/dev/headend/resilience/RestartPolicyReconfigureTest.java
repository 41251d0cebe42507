package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** New limits apply to the next decision: cooldown, the global throttle and every channel's breaker. */
class RestartPolicyReconfigureTest {
    private static final Duration LONG_HEALTHY_RUN = Duration.ofHours(1);

    private final ManualTime clock = new ManualTime();
    private final Moment t0 = clock.start();
    private final RestartPolicy policy = new RestartPolicy(RestartPolicy.Config.defaults(), clock);

    private static RestartPolicy.Config config(int limit, Duration cooldown, int breakerFailures) {
        return new RestartPolicy.Config(limit, Duration.ofSeconds(60), cooldown, Duration.ofSeconds(30),
                breakerFailures, Duration.ofSeconds(300), Duration.ofSeconds(90));
    }

    @Test
    void aShorterCooldownAppliesToTheNextDecision() {
        policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        clock.advance(Duration.ofSeconds(5));

        policy.reconfigure(config(10, Duration.ofSeconds(10), 5));
        RestartDecision decision = policy.decide("news", RestartCause.CRASH, Duration.ofSeconds(5), "exit 1");

        assertThat(decision.verdict()).isEqualTo(Verdict.COOLDOWN);
        assertThat(decision.at()).isEqualTo(t0.plus(Duration.ofSeconds(10)));
    }

    @Test
    void aLowerGlobalLimitAppliesToTheNextReservation() {
        policy.decide("a", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        policy.reconfigure(config(1, Duration.ofSeconds(30), 5));
        RestartDecision decision = policy.decide("b", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(decision.verdict()).isEqualTo(Verdict.GLOBAL_THROTTLE);
        assertThat(decision.at()).isEqualTo(t0.plus(Duration.ofSeconds(60)));
    }

    @Test
    void aLowerBreakerLimitReachesABreakerThatAlreadyCountsFailures() {
        policy.recordFailure("news", "refused");
        policy.recordFailure("news", "refused");

        policy.reconfigure(config(10, Duration.ofSeconds(30), 3));

        assertThat(policy.recordFailure("news", "refused")).contains(t0.plus(Duration.ofSeconds(90)));
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
    }
}
