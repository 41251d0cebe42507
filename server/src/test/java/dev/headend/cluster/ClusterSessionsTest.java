package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two nodes' sessions in the shared tallies (an in-memory store on a manual clock). */
class ClusterSessionsTest {
    private final ManualTime time = new ManualTime();
    private final MemoryClusterStore store = new MemoryClusterStore(time);
    private final ClusterSessions a = new ClusterSessions(store, "node-a");
    private final ClusterSessions b = new ClusterSessions(store, "node-b");

    @Test
    void theLimitHoldsForTheSessionsOfEveryNode() {
        assertThat(a.reserve("ch", "s1", 3)).isEqualTo(ClusterSessions.Admission.ADMITTED);
        assertThat(b.reserve("ch", "s2", 3)).isEqualTo(ClusterSessions.Admission.ADMITTED);
        assertThat(b.reserve("ch", "s3", 3)).isEqualTo(ClusterSessions.Admission.ADMITTED);

        assertThat(a.reserve("ch", "s4", 3)).isEqualTo(ClusterSessions.Admission.FULL);
        assertThat(b.reserve("ch", "s5", 3)).isEqualTo(ClusterSessions.Admission.FULL);
        assertThat(a.reserve("other", "s6", 3)).as("per channel").isEqualTo(ClusterSessions.Admission.ADMITTED);
        assertThat(a.counts(List.of("ch", "other", "none"))).contains(Map.of("ch", 3, "other", 1));
    }

    @Test
    void aSessionAlreadyCountedIsAdmittedAgain() {
        a.reserve("ch", "s1", 1);

        assertThat(a.reserve("ch", "s1", 1)).isEqualTo(ClusterSessions.Admission.ADMITTED);
        assertThat(a.counts(List.of("ch"))).contains(Map.of("ch", 1));
    }

    @Test
    void noLimitStillCounts() {
        for (int i = 0; i < 5; i++) {
            assertThat(a.reserve("ch", "s" + i, 0)).isEqualTo(ClusterSessions.Admission.ADMITTED);
        }
        assertThat(b.counts(List.of("ch"))).contains(Map.of("ch", 5));
    }

    @Test
    void aReleasedSessionFreesItsPlace() {
        a.reserve("ch", "s1", 1);

        a.release("ch", "s1");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> b.reserve("ch", "s2", 1) == ClusterSessions.Admission.ADMITTED);
    }

    @Test
    void theSessionsOfANodeThatStopsRenewingStopCountingWithinTheTtl() {
        a.reserve("ch", "a1", 2);
        b.reserve("ch", "b1", 2);
        time.advance(ClusterSessions.TTL.minusMillis(1));
        a.renew(Map.of("ch", List.of("a1")));

        assertThat(b.reserve("ch", "b2", 2)).as("still counted just inside the TTL")
                .isEqualTo(ClusterSessions.Admission.FULL);

        time.advance(Duration.ofMillis(1)); // b1 was not renewed: node-b is gone
        assertThat(a.counts(List.of("ch"))).contains(Map.of("ch", 1));
        time.advance(ClusterSessions.TTL);
        assertThat(a.counts(List.of("ch"))).contains(Map.of());
    }

    @Test
    void aRenewalCountsSessionsTheStoreLost() {
        a.reserve("ch", "a1", 2);
        store.wipe(); // Redis restarted empty

        a.renew(Map.of("ch", List.of("a1", "a2")));

        assertThat(b.counts(List.of("ch"))).contains(Map.of("ch", 2));
    }

    @Test
    void anUnreachableStoreAdmitsAsUnknownAndCountsNothing() {
        store.down = true;

        assertThat(a.reserve("ch", "s1", 1)).isEqualTo(ClusterSessions.Admission.UNKNOWN);
        assertThat(a.counts(List.of("ch"))).isEqualTo(Optional.empty());
        a.renew(Map.of("ch", List.of("s1")));

        store.down = false;
        assertThat(a.counts(List.of("ch"))).contains(Map.of());
        a.renew(Map.of("ch", List.of("s1")));
        assertThat(b.reserve("ch", "s2", 1)).as("counted once Redis answers").isEqualTo(ClusterSessions.Admission.FULL);
    }

    @Test
    void membersNameTheirNode() {
        assertThat(a.member("abc")).isEqualTo("node-a/abc");
    }
}
