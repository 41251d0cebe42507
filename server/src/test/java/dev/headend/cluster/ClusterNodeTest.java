package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.headend.stream.Ownership.Claim;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Two nodes on one store in memory, on a manual clock: leases, their loss, placement and Redis outages. */
class ClusterNodeTest {
    private static final Duration TTL = Duration.ofSeconds(6);
    private final ManualTime time = new ManualTime();
    private final MemoryClusterStore store = new MemoryClusterStore(time);
    private final Streams streamsA = new Streams();
    private final Streams streamsB = new Streams();
    private final ClusterNode a = node("node-a", streamsA);
    private final ClusterNode b = node("node-b", streamsB);

    /** The streams of one node: started by hand, stopped by the node. */
    private static final class Streams extends RecordedStreams {

        @Override
        public void prepare(String channelId) {
            throw new AssertionError("no hand-over here: " + channelId);
        }

        @Override
        public Optional<Numbering> numbering(String channelId) {
            return Optional.empty();
        }

        @Override
        public boolean ready(String channelId) {
            return running().contains(channelId);
        }
    }

    private ClusterNode node(String id, Streams streams) {
        ClusterSettings settings = new ClusterSettings(RedisAddress.parse("redis://127.0.0.1:6379"), Optional.empty(),
                id, TTL, false, Optional.empty());
        return new ClusterNode(settings, store, id, () -> "http://" + id, time, streams);
    }

    /** Starts the channel on a node as the stream manager does: a claim, then the stream. */
    private Claim start(ClusterNode node, Streams streams, String channelId) {
        Claim c = node.claim(channelId);
        if (c instanceof Claim.Granted) {
            synchronized (streams) {
                streams.running.add(channelId);
            }
        }
        return c;
    }

    /** Lets time pass with both nodes checking every half second. */
    private void run(Duration d, ClusterNode... nodes) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            time.advance(Duration.ofMillis(500));
            for (ClusterNode n : nodes) {
                n.tick();
            }
        }
    }

    @Test
    void oneNodeIsGrantedTheChannelAndTheOtherIsToldWhere() {
        a.start();
        b.start();

        assertThat(start(a, streamsA, "cam")).isEqualTo(new Claim.Granted());
        assertThat(start(b, streamsB, "cam")).isEqualTo(new Claim.Elsewhere("node-a", "http://node-a"));
        assertThat(b.route("cam", true)).isEqualTo(new Route.Remote("node-a", "http://node-a"));
        assertThat(a.route("cam", true)).isEqualTo(new Route.Local());
        assertThat(streamsB.running()).isEmpty();
    }

    @Test
    void renewalsKeepTheLeaseAsLongAsTheStreamRuns() {
        start(a, streamsA, "cam");

        run(Duration.ofSeconds(60), a, b);

        assertThat(a.holds("cam")).isTrue();
        assertThat(streamsA.stopped).isEmpty();
        assertThat(start(b, streamsB, "cam")).isInstanceOf(Claim.Elsewhere.class);
    }

    @Test
    void theLeaseOfAStreamThatEndedIsGivenBack() {
        start(a, streamsA, "cam");
        streamsA.stop("cam", "no viewers");

        run(Duration.ofSeconds(3), a);

        assertThat(a.holds("cam")).isFalse();
        assertThat(start(b, streamsB, "cam")).isEqualTo(new Claim.Granted());
    }

    @Test
    void aLeaseThatJustAllowedAStartIsNotGivenBackBeforeTheStreamRuns() {
        start(a, streamsA, "cam");
        streamsA.stop("cam", "no viewers");
        run(Duration.ofMillis(1500), a);

        assertThat(a.claim("cam")).isEqualTo(new Claim.Granted()); // a new start, its stream not created yet
        run(Duration.ofMillis(1500), a);

        assertThat(a.holds("cam")).isTrue();
    }

    @Test
    void whileRedisIsDownRunningStreamsLastUntilTheirLeaseWouldRunOutAndNothingStarts() {
        a.start();
        start(a, streamsA, "cam");
        run(Duration.ofSeconds(2), a); // renewed at 2 s: valid until 8 s
        store.down = true;

        run(Duration.ofSeconds(5), a);
        assertThat(streamsA.running()).containsExactly("cam");
        assertThat(a.route("cam", true)).isEqualTo(new Route.Local());
        assertThat(start(a, streamsA, "news")).isInstanceOf(Claim.Unavailable.class);
        assertThat(a.route("news", true)).isInstanceOf(Route.Unavailable.class);
        assertThat(a.reachable()).isFalse();

        run(Duration.ofSeconds(2), a);
        assertThat(streamsA.running()).isEmpty();
        assertThat(streamsA.stopped).singleElement().asString().startsWith("cam: cluster lease lost");
        assertThat(a.holds("cam")).isFalse();
    }

    @Test
    void whenRedisComesBackEmptyTheNodeRegistersAndTakesItsFreeLeasesAgain() throws Exception {
        a.start();
        start(a, streamsA, "cam");
        store.down = true;
        run(Duration.ofSeconds(2), a);
        store.wipe();
        store.down = false;

        run(Duration.ofSeconds(3), a);

        assertThat(a.reachable()).isTrue();
        assertThat(store.nodes()).extracting(NodeReport::id).containsExactly("node-a");
        assertThat(store.holder("cam")).map(ClusterStore.Holder::node).contains("node-a");
        assertThat(streamsA.running()).containsExactly("cam");
    }

    @Test
    void aNodePausedPastItsLeaseFindsItLostStopsAndServesItNoMore() throws Exception {
        a.start();
        b.start();
        start(a, streamsA, "cam");
        run(Duration.ofSeconds(7), b); // node-a paused: no tick, no renewal
        assertThat(start(b, streamsB, "cam")).isEqualTo(new Claim.Granted());
        long token = store.holder("cam").orElseThrow().token();

        assertThat(a.holds("cam")).isFalse(); // resumed: nothing of it is served from its store any more
        assertThat(a.route("cam", false)).isEqualTo(new Route.Remote("node-b", "http://node-b"));
        a.tick();

        assertThat(streamsA.running()).isEmpty();
        assertThat(streamsA.stopped).singleElement().asString().startsWith("cam: cluster lease lost");
        assertThat(store.holder("cam")).contains(new ClusterStore.Holder("node-b", token));
    }

    @Test
    void aChannelStartedAgainRightAfterItsStopIsStoppedAgainWhenItsNewLeaseIsLost() {
        a.start();
        start(a, streamsA, "cam");
        run(Duration.ofSeconds(1), a);
        time.advance(TTL.plusSeconds(1)); // paused past the lease
        a.tick();
        assertThat(streamsA.stopped).hasSize(1);
        assertThat(start(a, streamsA, "cam")).as("a viewer's request, before the next check")
                .isEqualTo(new Claim.Granted());
        run(Duration.ofSeconds(3), a);

        time.advance(TTL.plusSeconds(1)); // paused past the new lease
        a.tick();

        assertThat(streamsA.stopped).hasSize(2);
        assertThat(streamsA.running()).isEmpty();
    }

    @Test
    void aRenewalRefusedBecauseAnotherNodeHoldsTheLeaseStopsTheStream() {
        start(a, streamsA, "cam");
        store.hold("cam", "node-b", 99, TTL); // another holder, whatever the reason

        run(Duration.ofSeconds(3), a);

        assertThat(streamsA.stopped).singleElement().asString().contains("node node-b holds it now");
    }

    @Test
    void aStreamRunningWithoutALeaseIsStopped() {
        streamsA.running.add("cam");

        a.tick();

        assertThat(streamsA.stopped).containsExactly("cam: cluster lease lost");
    }

    @Test
    void theOwnerOfAChannelElsewhereIsReadFromRedisAtMostOnceASecond() {
        a.start();
        b.start();
        start(b, streamsB, "cam");
        Route.Remote atB = new Route.Remote("node-b", "http://node-b");
        assertThat(a.route("cam", true)).isEqualTo(atB);
        store.down = true;

        assertThat(a.route("cam", true)).isEqualTo(atB);
        time.advance(ClusterNode.HOLDER_KEPT);

        assertThat(a.route("cam", true)).isInstanceOf(Route.Unavailable.class);
    }

    @Test
    void aChannelNobodyOwnsIsPlacedOnTheLeastLoadedNode() {
        a.start();
        b.start();
        start(a, streamsA, "busy");
        run(Duration.ofSeconds(2), a, b); // reports published with node-a running one pipeline

        assertThat(a.route("cam", true)).isEqualTo(new Route.Remote("node-b", "http://node-b"));
        assertThat(a.route("cam", false)).isEqualTo(new Route.Local()); // a relayed request is served where it lands
        assertThat(b.route("cam", true)).isEqualTo(new Route.Local());
        assertThat(b.holds("cam")).isTrue();
    }

    @Test
    void theClusterSecretIsSharedAndOnlyItMarksARequestFromANode() {
        a.start();
        b.start();

        String secret = a.credential().orElseThrow().reveal();
        assertThat(b.credential().orElseThrow().reveal()).isEqualTo(secret);
        assertThat(b.fromPeer(Optional.of(secret))).isTrue();
        assertThat(b.fromPeer(Optional.of("guess-guess-guess-guess"))).isFalse();
        assertThat(b.fromPeer(Optional.empty())).isFalse();
    }

    @Test
    void whileOneRequestAsksRedisForAChannelsOwnerTheOthersUseTheOwnerKnown() throws Exception {
        a.start();
        b.start();
        start(a, streamsA, "cam");
        Route owner = new Route.Remote("node-a", "http://node-a");
        assertThat(b.route("cam", true)).isEqualTo(owner);
        time.advance(ClusterNode.HOLDER_KEPT.plusMillis(1));
        CountDownLatch gate = new CountDownLatch(1);
        store.holderGate = gate;
        int before = store.holderReads.get();

        Thread asking = Thread.ofVirtual().start(() -> b.route("cam", true));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.holderReads.get() == before + 1);
        List<Route> others = new ArrayList<>();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 100; i++) {
                    others.add(b.route("cam", true));
                }
            }, "the other requests waited for the read in flight");
        } finally {
            gate.countDown();
        }
        asking.join();

        assertThat(others).containsOnly(owner);
        assertThat(store.holderReads.get()).as("one read of Redis for 101 requests").isEqualTo(before + 1);
    }
}
