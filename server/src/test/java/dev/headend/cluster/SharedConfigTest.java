package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.headend.support.ManualTime;
import dev.headend.sync.ItemVersions;
import dev.headend.sync.SharedItem;
import dev.headend.sync.UnsharedChangeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes sharing changes through one store in memory: pushed, caught up, never applied out of order. */
class SharedConfigTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final ManualTime time = new ManualTime();
    private final MemoryClusterStore store = new MemoryClusterStore(time);
    private final Node a = new Node("node-a");
    private final Node b = new Node("node-b");

    /** A node's values, applied as the settings and the catalog do: only what is newer. */
    private final class Node {
        final Map<String, Optional<String>> values = new ConcurrentHashMap<>();
        final ItemVersions versions = new ItemVersions();
        final SharedConfig shared;

        Node(String id) {
            ClusterSettings settings = new ClusterSettings(RedisAddress.parse("redis://127.0.0.1:6379"),
                    Optional.empty(), id, Duration.ofSeconds(6), false, Optional.empty());
            ClusterNode node = new ClusterNode(settings, store, id, () -> "http://" + id, time, new LocalStreams() {
                @Override
                public Set<String> running() {
                    return Set.of();
                }

                @Override
                public int viewers() {
                    return 0;
                }

                @Override
                public void stop(String channelId, String reason) {}

                @Override
                public void prepare(String channelId) {}

                @Override
                public Optional<Numbering> numbering(String channelId) {
                    return Optional.empty();
                }

                @Override
                public boolean ready(String channelId) {
                    return false;
                }
            });
            shared = new SharedConfig(node, this::apply);
        }

        synchronized void apply(List<SharedItem.Versioned> offered) {
            List<SharedItem.Versioned> fresh = versions.newer(offered);
            versions.applied(fresh);
            fresh.forEach(v -> values.put(v.item().id(), v.item().value()));
        }

        synchronized void change(SharedItem item) {
            long seq = shared.publish(List.of(item));
            versions.applied(List.of(item), seq);
            values.put(item.id(), item.value());
        }
    }

    @AfterEach
    void stop() {
        a.shared.stop();
        b.shared.stop();
    }

    @Test
    void aChangeOnOneNodeIsPushedToTheOtherAndNotAppliedAgainWhereItWasMade() {
        a.shared.tick();
        b.shared.tick();

        a.change(SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "8"));
        a.change(SharedItem.removed(SharedItem.Kind.CHANNEL, "cam"));

        await().atMost(BOUND).untilAsserted(() -> assertThat(b.values).containsOnly(
                Map.entry("setting:window_segments", Optional.of("8")), Map.entry("channel:cam", Optional.empty())));
        assertThat(a.versions.seq("setting:window_segments")).isEqualTo(1);
        assertThat(b.versions.seq("channel:cam")).isEqualTo(2);
    }

    @Test
    void aNodeThatMissedMessagesCatchesUpAtItsNextCheck() {
        a.shared.tick();
        b.shared.tick();
        store.muted = true;

        a.change(SharedItem.set(SharedItem.Kind.CHANNEL, "cam", "{\"version\":1}"));
        a.change(SharedItem.set(SharedItem.Kind.CHANNEL, "cam", "{\"version\":2}"));
        b.shared.tick();

        await().atMost(BOUND).untilAsserted(() -> assertThat(b.values).containsOnly(
                Map.entry("channel:cam", Optional.of("{\"version\":2}"))));
    }

    @Test
    void aNodeStartingLateCatchesUpFromTheLatestState() {
        a.shared.tick();
        a.change(SharedItem.set(SharedItem.Kind.SETTING, "restart_limit", "9"));

        b.shared.tick();

        await().atMost(BOUND).untilAsserted(() -> assertThat(b.values).containsOnly(
                Map.entry("setting:restart_limit", Optional.of("9"))));
    }

    @Test
    void concurrentChangesOfOneItemEndTheSameOnBothNodes() {
        a.shared.tick();
        b.shared.tick();

        a.change(SharedItem.set(SharedItem.Kind.SETTING, "restart_limit", "4"));
        b.change(SharedItem.set(SharedItem.Kind.SETTING, "restart_limit", "5"));

        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(a.values.get("setting:restart_limit")).contains("5");
            assertThat(b.values.get("setting:restart_limit")).contains("5");
        });
    }

    @Test
    void aChangeIsRefusedWhenRedisCannotBeReached() {
        store.down = true;

        assertThatThrownBy(() -> a.change(SharedItem.set(SharedItem.Kind.SETTING, "restart_limit", "4")))
                .isInstanceOf(UnsharedChangeException.class).hasMessageContaining("cannot be reached");
        assertThat(a.values).isEmpty();
    }
}
