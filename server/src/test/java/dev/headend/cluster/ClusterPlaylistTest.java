package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.cluster.PlaylistState.RecentSegment;
import dev.headend.stream.Ownership.Claim;
import dev.headend.stream.PlaylistContinuity.Resumed;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one store in memory, on a manual clock: the owner records its playlist numbering,
 * fenced by its lease, and the next owner continues after it.
 */
class ClusterPlaylistTest {
    private static final Duration TTL = Duration.ofSeconds(6);
    private final ManualTime time = new ManualTime();
    private final MemoryClusterStore store = new MemoryClusterStore(time);
    private final Streams streamsA = new Streams();
    private final Streams streamsB = new Streams();
    private final ClusterNode a = node("node-a", streamsA);
    private final ClusterNode b = node("node-b", streamsB);

    /** The streams of one node: started and given segments by hand, stopped by the node or the test. */
    private static final class Streams extends RecordedStreams {
        final Map<String, Numbering> numbering = new HashMap<>();

        @Override
        public synchronized Optional<Numbering> numbering(String channelId) {
            Numbering n = numbering.get(channelId);
            return n == null ? Optional.empty() : Optional.of(running.contains(channelId) ? n
                    : new Numbering(n.nextSequence(), n.discontinuitySequence(), List.of()));
        }

        @Override
        public void prepare(String channelId) {
            throw new AssertionError("no hand-over here: " + channelId);
        }

        @Override
        public boolean ready(String channelId) {
            return false;
        }

        /** The running stream closes its open segment and opens the next, 2 s each. */
        synchronized void segment(String channelId) {
            Numbering n = numbering.get(channelId);
            List<RecentSegment> listed = new ArrayList<>(n.listed());
            listed.add(new RecentSegment(n.nextSequence() - 1, 2.0, listed.isEmpty() && n.nextSequence() > 1));
            numbering.put(channelId, new Numbering(n.nextSequence() + 1, n.discontinuitySequence(), listed));
        }
    }

    private ClusterNode node(String id, Streams streams) {
        ClusterSettings settings = new ClusterSettings(RedisAddress.parse("redis://127.0.0.1:6379"), Optional.empty(),
                id, TTL, false, Optional.empty());
        return new ClusterNode(settings, store, id, () -> "http://" + id, time, streams);
    }

    /** Starts the channel on a node as the stream manager does: a claim, then the stream, numbered as resumed. */
    private Resumed start(ClusterNode node, Streams streams, String channelId) {
        assertThat(node.claim(channelId)).isEqualTo(new Claim.Granted());
        LocalStreams.Numbering kept = streams.numbering(channelId).orElse(new LocalStreams.Numbering(0, 0,
                List.of()));
        Resumed r = node.resume(channelId, kept.nextSequence(), kept.discontinuitySequence());
        synchronized (streams) {
            streams.running.add(channelId);
            // the store numbers its first (open) segment at once
            streams.numbering.put(channelId, new LocalStreams.Numbering(r.nextSequence() + 1,
                    r.discontinuitySequence() + (r.nextSequence() > 0 ? 1 : 0), List.of()));
        }
        return r;
    }

    /** Lets time pass with the nodes checking every half second. */
    private void run(Duration d, ClusterNode... nodes) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            time.advance(Duration.ofMillis(500));
            for (ClusterNode n : nodes) {
                n.tick();
            }
        }
    }

    private PlaylistState recorded(String channelId) throws ClusterStoreException {
        return store.playlist(channelId).orElseThrow().state();
    }

    @Test
    void theOwnerRecordsOncePerNewSegmentAndOnceWhenItsStreamEnds() throws Exception {
        a.start();
        assertThat(start(a, streamsA, "cam")).isEqualTo(new Resumed(0, 0, Optional.empty()));
        assertThat(store.playlistWrites).as("the start, recorded as node-a's live run").isEqualTo(1);

        run(Duration.ofSeconds(2), a);
        assertThat(store.playlistWrites).as("the first open segment's number, then no new segment").isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            streamsA.segment("cam");
            run(Duration.ofSeconds(2), a);
        }
        assertThat(store.playlistWrites).isEqualTo(5);
        assertThat(recorded("cam")).isEqualTo(new PlaylistState("node-a", 1, 4, 0, List.of(
                new RecentSegment(0, 2.0, false), new RecentSegment(1, 2.0, false), new RecentSegment(2, 2.0, false)),
                true));

        synchronized (streamsA) {
            streamsA.running.remove("cam");
        }
        run(Duration.ofSeconds(5), a);

        assertThat(store.playlistWrites).as("the end, once").isEqualTo(6);
        assertThat(recorded("cam").live()).isFalse();
        assertThat(recorded("cam").nextSequence()).isEqualTo(4);
        assertThat(recorded("cam").recent()).as("kept from the last record").hasSize(3);
        assertThat(store.holder("cam")).as("given back").isEmpty();
    }

    @Test
    void aNodeThatTakesOverFromALostOwnerNumbersAfterEverythingItMayHaveListedAndSaysItWasLost() throws Exception {
        a.start();
        b.start();
        start(a, streamsA, "cam");
        for (int i = 0; i < 5; i++) {
            streamsA.segment("cam");
            run(Duration.ofSeconds(2), a, b);
        }
        PlaylistState last = recorded("cam");
        assertThat(last.nextSequence()).isEqualTo(6);

        run(TTL.plusSeconds(1), b); // node-a is killed: it checks no more, its lease runs out

        Resumed r = start(b, streamsB, "cam");
        assertThat(r.lostNode()).contains("node-a");
        assertThat(r.nextSequence()).isGreaterThan(last.nextSequence());
        assertThat(r.discontinuitySequence()).isGreaterThanOrEqualTo(last.discontinuitySequence());
        assertThat(recorded("cam")).satisfies(s -> {
            assertThat(s.node()).isEqualTo("node-b");
            assertThat(s.live()).isTrue();
            assertThat(s.nextSequence()).isEqualTo(r.nextSequence());
        });
    }

    @Test
    void aChannelStoppedOnPurposeContinuesExactlyOnAnotherNodeWithoutALostRun() throws Exception {
        a.start();
        b.start();
        start(a, streamsA, "cam");
        streamsA.segment("cam");
        streamsA.segment("cam");
        run(Duration.ofSeconds(1), a, b);
        synchronized (streamsA) {
            streamsA.running.remove("cam");
        }
        run(Duration.ofSeconds(5), a, b);
        assertThat(store.holder("cam")).isEmpty();

        assertThat(start(b, streamsB, "cam")).isEqualTo(new Resumed(3, 0, Optional.empty()));
    }

    @Test
    void aStaleOwnersWriteIsRefusedAndItsStreamStops() throws Exception {
        a.start();
        start(a, streamsA, "cam");
        streamsA.segment("cam");
        run(Duration.ofSeconds(1), a);
        PlaylistState before = recorded("cam");
        store.hold("cam", "node-b", 7, TTL); // granted to node-b while node-a still counts it as its own

        streamsA.segment("cam");
        run(Duration.ofMillis(500), a);

        assertThat(recorded("cam")).as("nothing written by the stale owner").isEqualTo(before);
        assertThat(a.holds("cam")).isFalse();
        assertThat(streamsA.stopped).singleElement().asString().startsWith("cam: cluster lease lost: Redis refused");
    }

    @Test
    void afterRedisLostItsKeysTheOwnerKeepsItsChannelAndRecordsItAgain() throws Exception {
        a.start();
        start(a, streamsA, "cam");
        streamsA.segment("cam");
        run(Duration.ofSeconds(1), a);

        store.wipe(); // Redis restarted without persistence
        streamsA.segment("cam");
        run(TTL, a);

        assertThat(streamsA.stopped).isEmpty();
        assertThat(a.holds("cam")).isTrue();
        assertThat(recorded("cam")).satisfies(s -> {
            assertThat(s.node()).isEqualTo("node-a");
            assertThat(s.token()).isEqualTo(store.holder("cam").orElseThrow().token());
            assertThat(s.nextSequence()).isEqualTo(3);
        });
    }

    @Test
    void whenTheRecordCannotBeReadAtTheStartTheLeaseCountsAsLost() throws Exception {
        a.start();
        assertThat(a.claim("cam")).isEqualTo(new Claim.Granted());
        store.down = true;

        assertThat(a.resume("cam", 4, 1)).isEqualTo(new Resumed(4, 1, Optional.empty()));
        assertThat(a.holds("cam")).isFalse();
    }
}
