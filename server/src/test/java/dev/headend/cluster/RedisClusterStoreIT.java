package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease commands and scripts, the registry and the shared secret against a real redis-server. */
class RedisClusterStoreIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private RedisProcess redis;
    private ClusterStore store;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisProcess().start();
        store = RedisClusterStore.open(RedisAddress.parse(redis.url()));
        // the JVM's first Redis connection (the client's classes, its event loops) can take longer than the
        // store's 1 s timeout on a loaded machine; these tests are about what the store does once connected
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.holder("none").isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Test
    void oneHolderAtATimeWithAGrowingFencingToken() throws Exception {
        ClusterStore.Holder first = store.acquire("cam", "node-a", TTL).orElseThrow();

        assertThat(store.acquire("cam", "node-b", TTL)).isEmpty();
        assertThat(store.holder("cam")).contains(first);
        assertThat(store.release("cam", first.value())).isEqualTo(ClusterStore.Outcome.DONE);
        ClusterStore.Holder second = store.acquire("cam", "node-b", TTL).orElseThrow();
        assertThat(second.token()).isGreaterThan(first.token());
    }

    @Test
    void onlyTheHolderRenewsOrReleases() throws Exception {
        ClusterStore.Holder h = store.acquire("cam", "node-a", Duration.ofSeconds(10)).orElseThrow();
        String stale = new ClusterStore.Holder("node-a", h.token() - 1).value();

        assertThat(store.renew("cam", stale, TTL)).isEqualTo(ClusterStore.Outcome.NOT_HOLDER);
        assertThat(store.release("cam", "node-b:" + h.token())).isEqualTo(ClusterStore.Outcome.NOT_HOLDER);
        assertThat(store.renew("cam", h.value(), TTL)).isEqualTo(ClusterStore.Outcome.DONE);
        assertThat(store.leases()).singleElement().satisfies(l -> {
            assertThat(l.channelId()).isEqualTo("cam");
            assertThat(l.holder()).isEqualTo(h);
            assertThat(l.ttlLeft()).isGreaterThan(Duration.ofSeconds(10)); // the renewal's TTL, not the grant's
        });
    }

    @Test
    void anUnrenewedLeaseExpiresAndIsFreeAgain() throws Exception {
        store.acquire("cam", "node-a", Duration.ofMillis(300)).orElseThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> store.holder("cam").isEmpty());
        assertThat(store.acquire("cam", "node-b", TTL)).isPresent();
    }

    @Test
    void aNodeReportExpiresUnlessPublishedAgain() throws Exception {
        NodeReport a = new NodeReport("node-a", "http://10.0.0.1:8080", NodeReport.SERVING, 2, 7, 0.25, 1000);
        store.publish(a, TTL);
        store.publish(new NodeReport("node-b", "http://10.0.0.2:8080", NodeReport.SERVING, 0, 0, -1, 1000), TTL);

        assertThat(store.nodes()).extracting(NodeReport::id).containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(store.nodes()).filteredOn(n -> n.id().equals("node-a")).singleElement()
                .isEqualTo(new NodeReport("node-a", "http://10.0.0.1:8080", "serving", 2, 7, 0.25, 1000));
        // its last report, with a short expiry, and no other after it
        store.publish(a, Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.nodes().size() == 1);
        store.withdraw("node-b");
        assertThat(store.nodes()).isEmpty();
    }

    @Test
    void theFirstSecretOfferedIsKept() throws Exception {
        assertThat(store.sharedSecret("first-secret-0123456789")).isEqualTo("first-secret-0123456789");
        assertThat(store.sharedSecret("other-secret-0123456789")).isEqualTo("first-secret-0123456789");
    }

    @Test
    void anUnreachableRedisFailsFastWithoutItsPassword() throws Exception {
        redis.stop();
        ClusterStore unreachable = RedisClusterStore.open(RedisAddress.parse(
                redis.url().replace("redis://", "redis://:pa55word-secret@")));
        try {
            assertThatThrownBy(() -> unreachable.holder("cam")).isInstanceOf(ClusterStoreException.class)
                    .hasMessageContaining("did not answer").hasMessageNotContaining("pa55word-secret");
            assertThatThrownBy(() -> store.acquire("cam", "node-a", TTL)).isInstanceOf(ClusterStoreException.class);
        } finally {
            unreachable.close();
        }
    }
}
