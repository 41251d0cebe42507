package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartPolicyCircuitBreakerTest {
    private static final Duration OPEN_PERIOD = Duration.ofSeconds(120);
    private static final Duration LONG_HEALTHY_RUN = Duration.ofHours(1);

    private final ManualTime clock = new ManualTime();
    private final Moment t0 = clock.start();
    private final RestartPolicy policy = new RestartPolicy(RestartPolicy.Config.defaults(), clock);

    @Test
    void aSourceThatNeverWorksOpensTheCircuitOnItsFifthFailure() {
        List<Verdict> verdicts = new ArrayList<>();
        RestartDecision decision = failImmediately();
        verdicts.add(decision.verdict());
        for (int i = 0; i < 4; i++) {
            decision = restartAndFail(decision);
            verdicts.add(decision.verdict());
        }

        assertThat(verdicts).containsExactly(Verdict.NOW, Verdict.COOLDOWN, Verdict.COOLDOWN, Verdict.COOLDOWN,
                Verdict.CIRCUIT_OPEN);
        assertThat(decision.at()).isEqualTo(clock.now().plus(OPEN_PERIOD));
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
        assertThat(policy.blockedUntil("news")).contains(decision.at());
    }

    @Test
    void startFailuresOpenTheCircuitWithoutTakingRestartSlots() {
        for (int i = 0; i < 4; i++) {
            assertThat(policy.recordFailure("news", "connection refused")).isEmpty();
            clock.advance(Duration.ofSeconds(5));
        }

        assertThat(policy.recordFailure("news", "connection refused")).contains(clock.now().plus(OPEN_PERIOD));
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
        assertThat(policy.counts().values()).containsOnly(0L);
        assertThat(policy.decide("other", RestartCause.CRASH, LONG_HEALTHY_RUN, "crash").verdict())
                .isEqualTo(Verdict.NOW);
    }

    @Test
    void everyDecisionDuringTheOpenPeriodPointsAtItsEnd() {
        Moment openEnd = openTheCircuit().at();

        List<RestartDecision> duringOpenPeriod = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(9));
            duringOpenPeriod.add(policy.decide("news", RestartCause.STALL, Duration.ZERO, "no segment"));
            assertThat(policy.blockedUntil("news")).contains(openEnd);
        }

        assertThat(duringOpenPeriod).extracting(RestartDecision::verdict).containsOnly(Verdict.CIRCUIT_OPEN);
        assertThat(duringOpenPeriod).extracting(RestartDecision::at).containsOnly(openEnd);
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void operatorRestartWaitsForTheEndOfTheOpenPeriod() {
        Moment openEnd = openTheCircuit().at();
        clock.advance(Duration.ofSeconds(10));

        RestartDecision decision = policy.decide("news", RestartCause.OPERATOR, Duration.ZERO, "operator");

        assertThat(decision.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
        assertThat(decision.at()).isEqualTo(openEnd);
    }

    @Test
    void onceItsPeriodIsOverTheCircuitReadsHalfOpenSinceTheNextAttemptIsTheProbe() {
        Moment openEnd = openTheCircuit().at();
        clock.advanceTo(openEnd.minus(Duration.ofMillis(1)));

        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);

        clock.advanceTo(openEnd);

        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(policy.blockedUntil("news")).isEmpty();

        policy.onAttempt("news");

        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(policy.blockedUntil("news")).isEmpty();
    }

    @Test
    void anAttemptDuringTheOpenPeriodIsNoProbe() {
        Moment openEnd = openTheCircuit().at();
        clock.advance(Duration.ofSeconds(60));

        policy.onAttempt("news");

        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
        assertThat(policy.blockedUntil("news")).contains(openEnd);
    }

    @Test
    void aFailedHalfOpenProbeReopensTheCircuitAtOnceForAnotherPeriod() {
        Moment openEnd = openTheCircuit().at();
        clock.advanceTo(openEnd);
        policy.onAttempt("news");
        clock.advance(Duration.ofSeconds(2));

        RestartDecision decision = policy.decide("news", RestartCause.CRASH, Duration.ofSeconds(2), "exit 1");

        Moment reopenEnd = openEnd.plus(Duration.ofSeconds(2)).plus(OPEN_PERIOD);
        assertThat(decision.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
        assertThat(decision.at()).isEqualTo(reopenEnd);
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.OPEN);
        assertThat(policy.blockedUntil("news")).contains(reopenEnd);
    }

    @Test
    void anUnannouncedFirstRunAfterTheOpenPeriodIsTheProbeToo() {
        Moment openEnd = openTheCircuit().at();
        clock.advanceTo(openEnd.plus(Duration.ofSeconds(30)));

        RestartDecision decision = policy.decide("news", RestartCause.SPAWN_REFUSED, Duration.ZERO, "refused");

        assertThat(decision.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
        assertThat(decision.at()).isEqualTo(openEnd.plus(Duration.ofSeconds(30)).plus(OPEN_PERIOD));
    }

    @Test
    void aSuccessfulHalfOpenProbeClosesTheCircuitAndForgetsTheFailures() {
        Moment openEnd = openTheCircuit().at();
        clock.advanceTo(openEnd);
        policy.onAttempt("news");

        policy.onSuccess("news");

        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.CLOSED);
        assertThat(policy.blockedUntil("news")).isEmpty();
        clock.advance(Duration.ofSeconds(40));
        for (int i = 0; i < 4; i++) {
            assertThat(policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1").verdict())
                    .isEqualTo(Verdict.NOW);
        }
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aSuccessWhileClosedKeepsTheRecentFailures() {
        for (int i = 0; i < 4; i++) {
            policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
            policy.onSuccess("news");
        }

        RestartDecision fifthFailure = policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(fifthFailure.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
    }

    @Test
    void failuresThreeHundredSecondsOldNoLongerCount() {
        for (long second : new long[] {0, 80, 160, 240, 300}) {
            clock.advanceTo(t0.plus(Duration.ofSeconds(second)));
            assertThat(policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1").verdict())
                    .isEqualTo(Verdict.NOW);
        }
        assertThat(policy.circuitState("news")).isEqualTo(CircuitState.CLOSED);
        clock.advanceTo(t0.plus(Duration.ofSeconds(310)));

        RestartDecision fifthRecentFailure = policy.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(fifthRecentFailure.verdict()).isEqualTo(Verdict.CIRCUIT_OPEN);
    }

    /** Drives a source that fails right after every restart until the breaker opens. */
    private RestartDecision openTheCircuit() {
        RestartDecision decision = failImmediately();
        while (decision.verdict() != Verdict.CIRCUIT_OPEN) {
            decision = restartAndFail(decision);
        }
        return decision;
    }

    private RestartDecision restartAndFail(RestartDecision previous) {
        clock.advanceTo(previous.at());
        policy.onAttempt("news");
        return failImmediately();
    }

    private RestartDecision failImmediately() {
        clock.advance(Duration.ofSeconds(1));
        return policy.decide("news", RestartCause.CRASH, Duration.ofSeconds(1), "Connection refused");
    }
}
