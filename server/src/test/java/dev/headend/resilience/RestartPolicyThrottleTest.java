package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RestartPolicyThrottleTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final int MAX_PER_WINDOW = 10;
    private static final Duration LONG_HEALTHY_RUN = Duration.ofHours(1);

    private final ManualTime clock = new ManualTime();
    private final Moment t0 = clock.start();
    private final RestartPolicy policy = new RestartPolicy(RestartPolicy.Config.defaults(), clock);

    @Test
    void aBurstOfThirtyFailingChannelsIsSpreadOneWindowPerTen() {
        List<RestartDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            decisions.add(policy.decide("channel-" + i, RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1"));
        }

        assertThat(decisions.subList(0, 10)).extracting(RestartDecision::verdict).containsOnly(Verdict.NOW);
        assertThat(decisions.subList(10, 30)).extracting(RestartDecision::verdict)
                .containsOnly(Verdict.GLOBAL_THROTTLE);
        assertThat(countByTime(decisions)).containsExactlyInAnyOrderEntriesOf(
                Map.of(t0, 10L, t0.plus(WINDOW), 10L, t0.plus(WINDOW.multipliedBy(2)), 10L));
        assertNoWindowHoldsMoreThanTheBudget(decisions);
    }

    @Test
    void fiftyThreadsDecidingAtOnceNeverReserveMoreThanTenSlotsInAWindow() throws Exception {
        int threads = 50;
        int channelsPerThread = 20;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<List<RestartDecision>>> deciders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = "thread-" + t + "-channel-";
            deciders.add(() -> {
                start.await();
                List<RestartDecision> mine = new ArrayList<>();
                for (int c = 0; c < channelsPerThread; c++) {
                    mine.add(policy.decide(prefix + c, RestartCause.STALL, Duration.ZERO, "no segment"));
                }
                return mine;
            });
        }

        List<RestartDecision> decisions = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<List<RestartDecision>> mine : pool.invokeAll(deciders)) {
                decisions.addAll(mine.get());
            }
        }

        assertThat(decisions).hasSize(threads * channelsPerThread);
        assertThat(decisions).filteredOn(d -> d.verdict() == Verdict.NOW).hasSize(MAX_PER_WINDOW);
        assertNoWindowHoldsMoreThanTheBudget(decisions);
        assertThat(countByTime(decisions).values()).containsOnly((long) MAX_PER_WINDOW);
        assertThat(policy.counts().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(threads * channelsPerThread);
    }

    @Test
    void aNewDecisionForAChannelGivesBackItsPendingSlot() {
        RestartPolicy.Config onePerMinute = new RestartPolicy.Config(1, WINDOW, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120));
        RestartPolicy strict = new RestartPolicy(onePerMinute, clock);
        strict.decide("news", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");
        assertThat(strict.decide("sport", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1").at())
                .isEqualTo(t0.plus(WINDOW));
        clock.advance(Duration.ofSeconds(1));

        RestartDecision superseding = strict.decide("sport", RestartCause.OPERATOR, LONG_HEALTHY_RUN, "operator");
        RestartDecision other = strict.decide("movies", RestartCause.CRASH, LONG_HEALTHY_RUN, "exit 1");

        assertThat(superseding.verdict()).isEqualTo(Verdict.GLOBAL_THROTTLE);
        assertThat(superseding.at()).isEqualTo(t0.plus(WINDOW));
        assertThat(other.at()).isEqualTo(t0.plus(WINDOW.multipliedBy(2)));
    }

    @Test
    void countsReflectTheVerdictsTaken() {
        RestartPolicy.Config twoPerMinute = new RestartPolicy.Config(2, WINDOW, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 3, Duration.ofSeconds(300), Duration.ofSeconds(120));
        RestartPolicy small = new RestartPolicy(twoPerMinute, clock);
        assertThat(small.counts()).containsOnly(Map.entry(Verdict.NOW, 0L), Map.entry(Verdict.COOLDOWN, 0L),
                Map.entry(Verdict.GLOBAL_THROTTLE, 0L), Map.entry(Verdict.CIRCUIT_OPEN, 0L));

        small.decide("news", RestartCause.CRASH, Duration.ZERO, "exit 1");
        clock.advance(Duration.ofSeconds(1));
        small.decide("news", RestartCause.CRASH, Duration.ZERO, "exit 1");
        small.decide("sport", RestartCause.CRASH, Duration.ZERO, "exit 1");
        small.decide("movies", RestartCause.SPAWN_REFUSED, Duration.ZERO, "no ffmpeg");
        small.decide("news", RestartCause.UNHEALTHY, Duration.ZERO, "bad output");

        assertThat(small.counts()).containsOnly(Map.entry(Verdict.NOW, 1L), Map.entry(Verdict.COOLDOWN, 1L),
                Map.entry(Verdict.GLOBAL_THROTTLE, 2L), Map.entry(Verdict.CIRCUIT_OPEN, 1L));
    }

    private static Map<Moment, Long> countByTime(Collection<RestartDecision> decisions) {
        return decisions.stream().collect(Collectors.groupingBy(RestartDecision::at, Collectors.counting()));
    }

    /** Sorted, any two reserved times ten places apart must be at least a window apart. */
    private static void assertNoWindowHoldsMoreThanTheBudget(Collection<RestartDecision> decisions) {
        List<Moment> times = decisions.stream().map(RestartDecision::at).sorted().toList();
        for (int i = 0; i + MAX_PER_WINDOW < times.size(); i++) {
            assertThat(times.get(i).until(times.get(i + MAX_PER_WINDOW)))
                    .as("slots %d..%d", i, i + MAX_PER_WINDOW)
                    .isGreaterThanOrEqualTo(WINDOW);
        }
    }
}
