package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.headend.sync.SharedItem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared-change script, the latest state, the pub/sub channel and the hand-over keys against a real redis-server. */
class RedisSharedStateIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private RedisProcess redis;
    private ClusterStore store;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisProcess().start();
        store = RedisClusterStore.open(RedisAddress.parse(redis.url()));
        await().atMost(BOUND).ignoreExceptions().until(() -> store.changeSeq() == 0);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Test
    void changesAreNumberedKeptAsTheLatestStateAndAnnounced() throws Exception {
        List<SharedChange> heard = new CopyOnWriteArrayList<>();
        store.subscribeChanges(heard::add);
        String definition = "{\"version\":2,\"definition\":{\"id\":\"cam\",\"source\":\"rtsp://u:p\\\"/@h/ü\"}}";

        long first = store.publishChange("node-a", List.of(SharedItem.set(SharedItem.Kind.SETTING, "restart_limit",
                "4"), SharedItem.set(SharedItem.Kind.CHANNEL, "cam", definition)), 1);
        long second = store.publishChange("node-b", List.of(SharedItem.removed(SharedItem.Kind.SETTING,
                "restart_limit")), 1);

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(store.changeSeq()).isEqualTo(2);
        assertThat(store.sharedItems()).containsExactlyInAnyOrder(
                new SharedItem.Versioned(SharedItem.removed(SharedItem.Kind.SETTING, "restart_limit"), 2),
                new SharedItem.Versioned(SharedItem.set(SharedItem.Kind.CHANNEL, "cam", definition), 1));
        await().atMost(BOUND).until(() -> heard.size() == 2);
        assertThat(heard.getFirst()).isEqualTo(new SharedChange(1, "node-a", List.of(
                SharedItem.set(SharedItem.Kind.SETTING, "restart_limit", "4"),
                SharedItem.set(SharedItem.Kind.CHANNEL, "cam", definition))));
        assertThat(heard.get(1).items()).containsExactly(SharedItem.removed(SharedItem.Kind.SETTING, "restart_limit"));
    }

    @Test
    void numbersNeverGoBelowTheFloorANodeGives() throws Exception {
        assertThat(store.publishChange("node-a", List.of(SharedItem.set(SharedItem.Kind.SETTING, "k", "v")), 100))
                .isEqualTo(100);
        assertThat(store.publishChange("node-a", List.of(SharedItem.set(SharedItem.Kind.SETTING, "k", "w")), 1))
                .isEqualTo(101);
    }

    @Test
    void anOfferIsListedForItsTakerChangedOnlyForItAndWithdrawn() throws Exception {
        store.offerHandover("cam", "node-a", "node-b", BOUND);

        assertThat(store.handoversTo("node-b")).containsExactly(new ClusterStore.HandoverOffer("cam", "node-a",
                "node-b", ClusterStore.HandoverOffer.OFFERED));
        assertThat(store.handoversTo("node-c")).isEmpty();

        store.handoverState("cam", "node-c", ClusterStore.HandoverOffer.READY);
        assertThat(store.handover("cam")).map(ClusterStore.HandoverOffer::state)
                .contains(ClusterStore.HandoverOffer.OFFERED);
        store.handoverState("cam", "node-b", ClusterStore.HandoverOffer.READY);
        assertThat(store.handover("cam")).map(ClusterStore.HandoverOffer::state)
                .contains(ClusterStore.HandoverOffer.READY);

        store.endHandover("cam");

        assertThat(store.handover("cam")).isEmpty();
        assertThat(store.handoversTo("node-b")).isEmpty();
    }
}
