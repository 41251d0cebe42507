package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyCooldownTest {
    private static final Duration LONG_HEALTHY_RUN = Duration.ofHours(1);

    private final ManualTime clock = new ManualTime();
    private final Moment t0 = clock.start();
    private final RestartPolicy policy = new RestartPolicy(RestartPolicy.Config.defaults(), clock);

    @Test
    void firstCrashAfterALongHealthyRunRestartsAtOnce() {
        RestartDecision decision = policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(decision.verdict()).isEqualTo(Verdict.NOW);
        assertThat(decision.at()).isEqualTo(t0);
    }

    @Test
    void secondCrashFiveSecondsLaterWaitsThirtySecondsFromThePreviousRestart() {
        policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        clock.advance(Duration.ofSeconds(5));

        RestartDecision decision = policy.decide("news", RestartCause.CRASH, Duration.ofSeconds(5), "exit 1");

        assertThat(decision.verdict()).isEqualTo(Verdict.COOLDOWN);
        assertThat(decision.at()).isEqualTo(t0.plus(Duration.ofSeconds(30)));
    }

    @Test
    void aRunHealthyForLongEnoughWaivesTheCooldown() {
        RestartPolicy.Config longCooldown = new RestartPolicy.Config(10, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(10), 5, Duration.ofSeconds(300), Duration.ofSeconds(120));
        RestartPolicy patient = new RestartPolicy(longCooldown, clock);
        patient.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        clock.advance(Duration.ofSeconds(20));

        RestartDecision afterHealthyRun = patient.decide("news", RestartCause.STALL, Duration.ofSeconds(20), "stall");
        clock.advance(Duration.ofSeconds(5));
        RestartDecision afterShortRun = patient.decide("news", RestartCause.STALL, Duration.ofSeconds(5), "stall");

        assertThat(afterHealthyRun.verdict()).isEqualTo(Verdict.NOW);
        assertThat(afterHealthyRun.at()).isEqualTo(t0.plus(Duration.ofSeconds(20)));
        assertThat(afterShortRun.verdict()).isEqualTo(Verdict.COOLDOWN);
        assertThat(afterShortRun.at()).isEqualTo(t0.plus(Duration.ofSeconds(80)));
    }

    @Test
    void operatorRestartBypassesTheCooldown() {
        policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        clock.advance(Duration.ofSeconds(5));

        RestartDecision decision = policy.decide("news", RestartCause.OPERATOR, Duration.ofSeconds(5), "operator");

        assertThat(decision.verdict()).isEqualTo(Verdict.NOW);
        assertThat(decision.at()).isEqualTo(t0.plus(Duration.ofSeconds(5)));
    }

    @Test
    void operatorRestartStillWaitsForTheGlobalThrottle() {
        for (int i = 0; i < 10; i++) {
            policy.decide("channel-" + i, RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        }

        RestartDecision decision = policy.decide("news", RestartCause.OPERATOR, LONG_HEALTHY_RUN, "operator");

        assertThat(decision.verdict()).isEqualTo(Verdict.GLOBAL_THROTTLE);
        assertThat(decision.at()).isEqualTo(t0.plus(Duration.ofSeconds(60)));
    }

    @Test
    void operatorRestartsAreNotBreakerFailures() {
        for (int i = 0; i < 4; i++) {
            policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
            policy.decide("news", RestartCause.OPERATOR, LONG_HEALTHY_RUN, "operator");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.CLOSED);

        RestartDecision fifthFailure = policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(fifthFailure.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aConfigurationChangeIsNeitherDelayedByTheCooldownNorABreakerFailure() {
        policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        clock.advance(Duration.ofSeconds(5));

        RestartDecision change = policy.decide("news", RestartCause.CONFIG_CHANGE, Duration.ZERO, "hot swap");
        for (int i = 0; i < 9; i++) {
            policy.decide("news", RestartCause.CONFIG_CHANGE, Duration.ZERO, "hot swap");
        }

        assertThat(change.verdict()).isEqualTo(Verdict.NOW);
        assertThat(change.at()).isEqualTo(t0.plus(Duration.ofSeconds(5)));
        assertThat(change.explanation()).contains("configuration change, cooldown waived");
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aFailedReplacementWaitsForTheCooldownAndCountsForTheBreaker() {
        policy.decide("news", RestartCause.CONFIG_CHANGE, Duration.ZERO, "hot swap");
        clock.advance(Duration.ofSeconds(1));

        RestartDecision retry = policy.decide("news", RestartCause.REPLACEMENT_FAILED, Duration.ZERO, "retry");
        for (int i = 0; i < 4; i++) {
            policy.decide("news", RestartCause.REPLACEMENT_FAILED, Duration.ZERO, "retry");
        }

        assertThat(retry.verdict()).isEqualTo(Verdict.COOLDOWN);
        assertThat(retry.at()).isEqualTo(t0.plus(Duration.ofSeconds(30)));
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
    }
}
