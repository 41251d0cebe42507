package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.cluster.PlaylistState.RecentSegment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The playlist state's script against a real redis-server: fenced by the lease, numbers never going down. */
class RedisPlaylistStateIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration KEPT = Duration.ofHours(24);
    private static final List<RecentSegment> RECENT = List.of(new RecentSegment(40, 2.0, true),
            new RecentSegment(41, 2.0, false));
    private RedisProcess redis;
    private ClusterStore store;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisProcess().start();
        store = RedisClusterStore.open(RedisAddress.parse(redis.url()));
        // the JVM's first Redis connection can take longer than the store's 1 s timeout on a loaded machine
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.holder("none").isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Test
    void theHolderRecordsItsStateAndReadsItBackWithItsAge() throws Exception {
        ClusterStore.Holder h = store.acquire("cam", "node-a", TTL).orElseThrow();
        PlaylistState state = new PlaylistState("node-a", h.token(), 42, 5, RECENT, true);

        assertThat(store.recordPlaylist("cam", h.value(), state, KEPT)).isEqualTo(ClusterStore.Outcome.DONE);

        ClusterStore.StoredPlaylist read = store.playlist("cam").orElseThrow();
        assertThat(read.state()).isEqualTo(state);
        assertThat(read.age()).isBetween(Duration.ZERO, Duration.ofMinutes(1));
        assertThat(store.playlist("other")).isEmpty();
    }

    @Test
    void aStaleOwnersWriteIsRefusedAndChangesNothing() throws Exception {
        ClusterStore.Holder first = store.acquire("cam", "node-a", Duration.ofMillis(300)).orElseThrow();
        PlaylistState recorded = new PlaylistState("node-a", first.token(), 42, 5, RECENT, true);
        store.recordPlaylist("cam", first.value(), recorded, KEPT);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.holder("cam").isEmpty());
        PlaylistState stale = new PlaylistState("node-a", first.token(), 44, 6, List.of(), true);

        assertThat(store.recordPlaylist("cam", first.value(), stale, KEPT)).as("the lease expired")
                .isEqualTo(ClusterStore.Outcome.NOT_HOLDER);
        ClusterStore.Holder second = store.acquire("cam", "node-b", TTL).orElseThrow();
        assertThat(store.recordPlaylist("cam", first.value(), stale, KEPT)).as("another node holds the lease")
                .isEqualTo(ClusterStore.Outcome.NOT_HOLDER);
        assertThat(store.recordPlaylist("cam", "node-b:" + first.token(), stale, KEPT)).as("an older token")
                .isEqualTo(ClusterStore.Outcome.NOT_HOLDER);
        assertThat(store.playlist("cam").orElseThrow().state()).isEqualTo(recorded);
        assertThat(store.recordPlaylist("cam", second.value(), new PlaylistState("node-b", second.token(), 50, 7,
                List.of(), true), KEPT)).isEqualTo(ClusterStore.Outcome.DONE);
    }

    @Test
    void numbersNeverGoDownAndRecentSegmentsAreKeptWhenNoneAreGiven() throws Exception {
        ClusterStore.Holder h = store.acquire("cam", "node-a", TTL).orElseThrow();
        store.recordPlaylist("cam", h.value(), new PlaylistState("node-a", h.token(), 42, 5, RECENT, true), KEPT);

        store.recordPlaylist("cam", h.value(), new PlaylistState("node-a", h.token(), 3, 1, List.of(), false), KEPT);

        assertThat(store.playlist("cam").orElseThrow().state()).isEqualTo(new PlaylistState("node-a", h.token(), 42,
                5, RECENT, false));
    }

    @Test
    void theStateExpiresAfterItsLastWrite() throws Exception {
        ClusterStore.Holder h = store.acquire("cam", "node-a", TTL).orElseThrow();
        store.recordPlaylist("cam", h.value(), new PlaylistState("node-a", h.token(), 42, 5, RECENT, false),
                Duration.ofMillis(300));

        await().atMost(Duration.ofSeconds(10)).until(() -> store.playlist("cam").isEmpty());
    }
}
