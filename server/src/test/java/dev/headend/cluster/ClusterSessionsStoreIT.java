package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session tally scripts against a real redis-server: one check-and-count, expiry, renewal, counts. */
class ClusterSessionsStoreIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private RedisProcess redis;
    private ClusterStore store;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisProcess().start();
        store = RedisClusterStore.open(RedisAddress.parse(redis.url()));
        // the first connection of the JVM can outlast the store's 1 s timeout on a loaded machine
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.holder("none").isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Test
    void concurrentReservationsOverTwoNodesAdmitExactlyTheLimit() throws Exception {
        List<Boolean> admitted;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Callable<Boolean>> calls = IntStream.range(0, 40).<Callable<Boolean>>mapToObj(i ->
                    () -> store.reserveSession("cam", (i % 2 == 0 ? "node-a/" : "node-b/") + i, 7, TTL)).toList();
            admitted = pool.invokeAll(calls).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }

        assertThat(admitted).filteredOn(a -> a).hasSize(7);
        assertThat(store.sessionCounts(List.of("cam"))).isEqualTo(Map.of("cam", 7));
    }

    @Test
    void aCountedSessionIsAdmittedAgainAndAReleaseFreesItsPlace() throws Exception {
        assertThat(store.reserveSession("cam", "node-a/1", 1, TTL)).isTrue();
        assertThat(store.reserveSession("cam", "node-a/1", 1, TTL)).isTrue();
        assertThat(store.reserveSession("cam", "node-b/2", 1, TTL)).isFalse();

        store.releaseSession("cam", "node-a/1");

        assertThat(store.reserveSession("cam", "node-b/2", 1, TTL)).isTrue();
        assertThat(store.reserveSession("other", "node-b/3", 0, TTL)).as("no limit").isTrue();
        assertThat(store.sessionCounts(List.of("cam", "other", "none"))).isEqualTo(Map.of("cam", 1, "other", 1));
    }

    @Test
    void sessionsNotRenewedStopCountingAndRenewedOnesStay() throws Exception {
        Duration shortTtl = Duration.ofMillis(1500);
        store.reserveSession("cam", "node-a/1", 2, shortTtl);
        store.reserveSession("cam", "node-b/2", 2, shortTtl);

        store.renewSessions("cam", List.of("node-a/1"), TTL);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.sessionCounts(List.of("cam")).equals(
                Map.of("cam", 1)));
        assertThat(store.reserveSession("cam", "node-b/3", 2, TTL)).as("node-b's expired place is free").isTrue();
    }

    @Test
    void aRenewalAddsSessionsWhateverTheLimit() throws Exception {
        store.reserveSession("cam", "node-a/1", 1, TTL);

        store.renewSessions("cam", List.of("node-b/2", "node-b/3"), TTL);
        store.renewSessions("cam", List.of(), TTL);

        assertThat(store.sessionCounts(List.of("cam"))).isEqualTo(Map.of("cam", 3));
        assertThat(store.sessionCounts(List.of())).isEmpty();
    }

    @Test
    void aRenewalOfManySessionsCountsThemAllWithAZaddPerChunkNotPerSession() throws Exception {
        int sessions = 2 * RedisClusterStore.ZADD_CHUNK + 1;
        List<String> members = IntStream.range(0, sessions).mapToObj(i -> "node-a/" + i).toList();
        long zaddsBefore = redis.calls("zadd");

        store.renewSessions("cam", members, TTL);

        assertThat(store.sessionCounts(List.of("cam"))).isEqualTo(Map.of("cam", sessions));
        assertThat(redis.calls("zadd") - zaddsBefore).isEqualTo(3);
    }
}
