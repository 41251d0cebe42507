package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.stream.Ownership.Claim;
import dev.headend.stream.PlaylistContinuity.Resumed;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drain on two nodes over one store in memory, on a manual clock: the hand-over, step by step. */
class ClusterDrainTest {
    private static final Duration TTL = Duration.ofSeconds(6);
    private final ManualTime time = new ManualTime();
    private final MemoryClusterStore store = new MemoryClusterStore(time);
    private final Streams streamsA = new Streams();
    private final Streams streamsB = new Streams();
    private final ClusterNode a = node("node-a", streamsA);
    private final ClusterNode b = node("node-b", streamsB);

    /** The streams of one node: a prepared stream runs at once and is ready when the test says. */
    private static final class Streams extends RecordedStreams {
        final Set<String> ready = new HashSet<>();
        final List<String> prepared = new ArrayList<>();
        /** Where each prepared stream was numbered, as the stream manager asks its node when it creates it. */
        final List<Resumed> numbered = new ArrayList<>();
        ClusterNode node;

        @Override
        public synchronized void prepare(String channelId) {
            prepared.add(channelId);
            numbered.add(node.resume(channelId, 0, 0));
            running.add(channelId);
        }

        @Override
        public synchronized Optional<Numbering> numbering(String channelId) {
            return running.contains(channelId) ? Optional.of(new Numbering(40, 2, List.of())) : Optional.empty();
        }

        @Override
        public synchronized boolean ready(String channelId) {
            return ready.contains(channelId);
        }
    }

    private ClusterNode node(String id, Streams streams) {
        ClusterSettings settings = new ClusterSettings(RedisAddress.parse("redis://127.0.0.1:6379"), Optional.empty(),
                id, TTL, false, Optional.empty());
        ClusterNode node = new ClusterNode(settings, store, id, () -> "http://" + id, time, streams);
        streams.node = node;
        return node;
    }

    /** One round of checks, half a second later; never do both nodes count the lease as theirs. */
    private void round() {
        time.advance(Duration.ofMillis(500));
        a.tick();
        assertThat(a.holds("cam") && b.holds("cam")).as("two owners").isFalse();
        b.tick();
        assertThat(a.holds("cam") && b.holds("cam")).as("two owners").isFalse();
    }

    @Test
    void aDrainWithNoOtherServingNodeChangesNothing() throws Exception {
        a.start();
        assertThat(a.claim("cam")).isEqualTo(new Claim.Granted());

        assertThat(a.drain()).isInstanceOf(ClusterNode.DrainAnswer.NoOtherNode.class);

        assertThat(a.draining()).isFalse();
        assertThat(store.nodes()).extracting(NodeReport::state).containsExactly(NodeReport.SERVING);
        assertThat(a.holds("cam")).isTrue();
        assertThat(store.handover("cam")).isEmpty();
    }

    @Test
    void theTakerRunsItsPipelineBeforeTheGiverReleasesTheLeaseAndThenOwnsTheChannel() throws Exception {
        a.start();
        b.start();
        assertThat(a.claim("cam")).isEqualTo(new Claim.Granted());
        streamsA.running.add("cam");

        ClusterNode.DrainAnswer answer = a.drain();

        assertThat(answer).isInstanceOf(ClusterNode.DrainAnswer.Draining.class);
        assertThat(((ClusterNode.DrainAnswer.Draining) answer).handovers()).extracting(Handover::taker)
                .containsExactly("node-b");
        assertThat(store.nodes()).filteredOn(n -> n.id().equals("node-a")).extracting(NodeReport::state)
                .containsExactly(NodeReport.DRAINING);

        round();
        assertThat(streamsB.prepared).containsExactly("cam");
        assertThat(streamsB.numbered).as("numbered past anything the giver can make meanwhile").singleElement()
                .satisfies(r -> {
                    assertThat(r.nextSequence()).isGreaterThanOrEqualTo(40 + ClusterNode.HANDOVER_SEQUENCE_MARGIN);
                    assertThat(r.discontinuitySequence()).isGreaterThanOrEqualTo(2);
                    assertThat(r.lostNode()).as("the giver's run goes on").isEmpty();
                });
        long first = streamsB.numbered.getFirst().nextSequence();
        assertThat(b.claim("cam")).as("a standby runs without the lease").isEqualTo(new Claim.Granted());
        assertThat(b.holds("cam")).isFalse();
        assertThat(b.route("cam", true)).isEqualTo(new Route.Remote("node-a", "http://node-a"));
        assertThat(b.route("cam", false)).isEqualTo(new Route.Remote("node-a", "http://node-a"));

        round();
        round();
        assertThat(a.holds("cam")).as("no release before the taker has a segment").isTrue();
        assertThat(streamsB.stopped).as("the standby is not stopped for running without a lease").isEmpty();

        streamsB.ready.add("cam");
        for (int i = 0; i < 4; i++) {
            round();
        }

        assertThat(b.holds("cam")).isTrue();
        assertThat(a.holds("cam")).isFalse();
        assertThat(a.owned()).isZero();
        assertThat(streamsA.stopped).as("the giver still serves its last playlists' segments").isEmpty();
        assertThat(a.servesSegments("cam")).isTrue();
        assertThat(b.earlierOwner("cam", 40)).contains(new Route.Remote("node-a", "http://node-a"));
        assertThat(b.earlierOwner("cam", first - 1)).contains(new Route.Remote("node-a", "http://node-a"));
        assertThat(b.earlierOwner("cam", first)).isEmpty();

        for (long ms = 0; ms <= ClusterNode.HANDED_SEGMENTS_KEPT.toMillis(); ms += 500) {
            round();
        }

        assertThat(streamsA.stopped).containsExactly("cam: cluster lease lost");
        assertThat(a.servesSegments("cam")).isFalse();
        assertThat(b.earlierOwner("cam", 40)).isEmpty();
        assertThat(a.handovers()).extracting(Handover::label).containsExactly("done");
        assertThat(store.handover("cam")).isEmpty();
        assertThat(streamsB.running).contains("cam");
        assertThat(store.holder("cam")).map(ClusterStore.Holder::node).contains("node-b");
    }

    @Test
    void onceTheGiverReleasedTheLeaseARequestOnTheTakerTakesItAtOnce() {
        a.start();
        b.start();
        a.claim("cam");
        streamsA.running.add("cam");
        a.drain();
        round();
        streamsB.ready.add("cam");
        time.advance(Duration.ofMillis(500));
        b.tick(); // says it is ready
        a.tick(); // releases
        assertThat(a.holds("cam")).isFalse();
        assertThat(b.holds("cam")).isFalse();

        assertThat(b.route("cam", false)).isEqualTo(new Route.Local());

        assertThat(b.holds("cam")).isTrue();
        assertThat(a.route("cam", false)).isEqualTo(new Route.Remote("node-b", "http://node-b"));
    }

    @Test
    void aDrainingNodeIsNeverPickedForANewChannel() {
        a.start();
        b.start();
        a.drain();

        assertThat(a.route("new", true)).isEqualTo(new Route.Remote("node-b", "http://node-b"));
        assertThat(a.route("new", false)).as("not even for a relayed request").isEqualTo(
                new Route.Remote("node-b", "http://node-b"));
        assertThat(b.route("new", true)).isEqualTo(new Route.Local());
    }

    @Test
    void aTakerThatNeverGetsReadyLeavesTheChannelWithTheGiverAndItsStandbyStops() {
        a.start();
        b.start();
        a.claim("cam");
        streamsA.running.add("cam");
        a.drain();
        round();
        assertThat(streamsB.running).contains("cam");

        for (long ms = 0; ms <= ClusterNode.HANDOVER_LIMIT.toMillis(); ms += 500) {
            round();
        }

        assertThat(a.holds("cam")).isTrue();
        assertThat(streamsA.stopped).isEmpty();
        assertThat(a.handovers()).extracting(Handover::label).containsAnyOf("failed", "offered");
        assertThat(streamsB.stopped).contains("cam: cluster hand-over withdrawn");
    }
}
