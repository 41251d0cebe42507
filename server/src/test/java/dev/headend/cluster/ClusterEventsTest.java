package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.events.Delivery;
import dev.headend.events.Event;
import dev.headend.events.EventHub;
import dev.headend.events.EventJournal;
import dev.headend.events.EventSource;
import dev.headend.events.OutboxEntry;
import dev.headend.events.ReceiverCounts;
import dev.headend.events.StoredEvent;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two nodes' cluster events over one store in memory: forwarding, reading, resuming anywhere, outages, trimming. */
class ClusterEventsTest {
    private final MemoryClusterStore store = new MemoryClusterStore(new ManualTime());

    /** A journal as the event log leaves it: events with sequences growing by one. */
    private static final class ListJournal implements EventJournal {
        final List<StoredEvent> events = new ArrayList<>();

        void add(String channelId, String type) {
            long seq = events.size() + 1;
            events.add(new StoredEvent(seq, type, Optional.of(channelId), "{\"sequence\":" + seq + ",\"type\":\"" + type
                    + "\",\"channel_id\":\"" + channelId + "\"}"));
        }

        @Override
        public long lastSequence() {
            return events.isEmpty() ? 0 : events.getLast().sequence();
        }

        @Override
        public List<StoredEvent> after(long sequence, int limit) {
            return events.stream().filter(e -> e.sequence() > sequence).limit(limit).toList();
        }

        @Override
        public void append(List<Event> e, List<Delivery> d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> runningStreams() {
            return List.of();
        }

        @Override
        public Optional<OutboxEntry> nextPending(String receiverId) {
            return Optional.empty();
        }

        @Override
        public void delivered(String receiverId, long sequence, long nowMs) {}

        @Override
        public void failed(String receiverId, long sequence, long nextAttemptMs, String error) {}

        @Override
        public void dead(String receiverId, long sequence, long nowMs, String error) {}

        @Override
        public Optional<String> receiverStreamId(String receiverId, String channelId) {
            return Optional.empty();
        }

        @Override
        public void rememberReceiverStreamId(String receiverId, String channelId, String receiverStreamId) {}

        @Override
        public void forgetReceiverStreamId(String receiverId, String channelId) {}

        @Override
        public Map<String, ReceiverCounts> counts() {
            return Map.of();
        }

        @Override
        public int prune(long beforeMs, int keepLast) {
            return 0;
        }
    }

    /** One node: its journal, its feeds' hub with one listener, its cluster events. */
    private final class Node {
        final ListJournal journal;
        final EventHub hub = new EventHub(64);
        final EventHub.Listener listener = hub.listen();
        final ClusterEvents events;

        Node(String id, ListJournal journal) {
            this.journal = journal;
            this.events = new ClusterEvents(store, id, journal, hub);
        }

        /** What the listener has been given since the last call. */
        List<EventHub.Next> heard() throws InterruptedException {
            List<EventHub.Next> out = new ArrayList<>();
            for (EventHub.Next n = listener.next(Duration.ZERO); !(n instanceof EventHub.Next.Idle);
                    n = listener.next(Duration.ZERO)) {
                out.add(n);
            }
            return out;
        }
    }

    private static List<String> items(List<EventHub.Next> heard) {
        return heard.stream().filter(n -> n instanceof EventHub.Next.Item)
                .map(n -> ((EventHub.Next.Item) n).event().type() + "@" + ((EventHub.Next.Item) n).event().channelId()
                        .orElse("")).toList();
    }

    private static List<Long> positions(List<EventHub.Next> heard) {
        return heard.stream().filter(n -> n instanceof EventHub.Next.Item)
                .map(n -> ((EventHub.Next.Item) n).event().sequence()).toList();
    }

    @Test
    void eachNodeHearsEveryNodesEventsOnceInTheStreamsOrderWithTheSameIds() throws Exception {
        Node a = new Node("a", new ListJournal());
        Node b = new Node("b", new ListJournal());
        a.events.tick();
        b.events.tick();
        b.journal.add("cam-b", "stream_started");
        b.events.tick();
        a.journal.add("cam-a", "stream_started");
        a.events.tick();
        b.events.tick();
        a.events.tick();
        b.events.tick();

        List<EventHub.Next> atA = a.heard();
        List<EventHub.Next> atB = b.heard();
        assertThat(items(atA)).containsExactly("stream_started@cam-b", "stream_started@cam-a");
        assertThat(positions(atA)).isEqualTo(positions(atB)).isSorted().doesNotHaveDuplicates();
        assertThat(a.events.lastPosition()).isEqualTo(b.events.lastPosition()).isEqualTo(positions(atA).getLast());
        assertThat(store.eventsAfter(StreamId.ZERO, 10).entries()).extracting(ClusterStore.EventEntry::node)
                .containsExactly("b", "a");
    }

    @Test
    void anIdGivenByOneNodeResumesAtAnotherWithExactlyTheEventsAfterIt() throws Exception {
        Node a = new Node("a", new ListJournal());
        Node b = new Node("b", new ListJournal());
        a.events.tick();
        for (int i = 0; i < 5; i++) {
            b.journal.add("cam-" + i, "stream_started");
        }
        b.events.tick();
        a.events.tick();
        List<Long> heardAtA = positions(a.heard());
        String idFromA = a.events.id(heardAtA.get(1));

        long resumeAtB = b.events.position(idFromA).orElseThrow();
        EventSource.Page page = b.events.after(resumeAtB, 100);
        assertThat(page.lost()).isFalse();
        assertThat(page.events()).extracting(StoredEvent::sequence).isEqualTo(heardAtA.subList(2, 5));
        assertThat(b.events.position("17")).as("a single node's id is not a cluster id").isEmpty();
    }

    @Test
    void aRetryOrARestartNeverAppendsAnEventTwiceAndARestartSendsWhatWasStoredMeanwhile() throws Exception {
        ListJournal journal = new ListJournal();
        Node first = new Node("a", journal);
        journal.add("cam", "stream_started");
        first.events.tick();
        assertThat(store.appendEvents("a", List.of(new ClusterStore.NodeEvent(1, "stream_started",
                Optional.of("cam"), "{}")))).as("a retry of an appended event").isZero();
        journal.add("cam", "stream_ended"); // stored while the node stops, not yet forwarded

        Node again = new Node("a", journal);
        journal.add("cam", "stream_started");
        again.events.tick();
        assertThat(store.eventsAfter(StreamId.ZERO, 10).entries()).extracting(e -> e.event().sequence())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void aNewJournalUnderAnOldNodeIdIsForwardedFromItsOwnSequences() throws Exception {
        ListJournal old = new ListJournal();
        Node first = new Node("a", old);
        for (int i = 0; i < 3; i++) {
            old.add("cam", "stream_started");
        }
        first.events.tick();
        ListJournal fresh = new ListJournal();
        Node again = new Node("a", fresh);
        again.events.tick();
        fresh.add("lobby", "stream_started");
        again.events.tick();
        assertThat(store.eventsAfter(StreamId.ZERO, 10).entries()).extracting(e -> e.event().channelId().orElse(""))
                .containsExactly("cam", "cam", "cam", "lobby");
    }

    @Test
    void whileRedisDoesNotAnswerLocalEventsReachLocalListenersThenComeAgainWithIdsAnnounced() throws Exception {
        Node a = new Node("a", new ListJournal());
        Node b = new Node("b", new ListJournal());
        a.events.tick();
        b.events.tick();
        store.down = true;
        a.journal.add("cam", "stream_started");
        a.events.tick();
        b.events.tick();
        List<EventHub.Next> outage = a.heard();
        assertThat(outage).first().isInstanceOfSatisfying(EventHub.Next.Notice.class,
                n -> assertThat(n.type()).isEqualTo("cluster_unavailable"));
        assertThat(outage).filteredOn(n -> n instanceof EventHub.Next.Aside).hasSize(1);
        assertThat(items(outage)).isEmpty();
        a.journal.add("cam", "stream_ended");
        a.events.tick();
        assertThat(a.heard()).hasSize(1).first().isInstanceOf(EventHub.Next.Aside.class);

        store.down = false;
        a.events.tick();
        b.events.tick();
        List<EventHub.Next> back = a.heard();
        assertThat(back).first().isInstanceOfSatisfying(EventHub.Next.Notice.class,
                n -> assertThat(n.type()).isEqualTo("cluster_restored"));
        assertThat(items(back)).containsExactly("stream_started@cam", "stream_ended@cam");
        assertThat(items(b.heard())).as("the other node: late, once, no asides").containsExactly(
                "stream_started@cam", "stream_ended@cam");
        assertThat(store.eventsAfter(StreamId.ZERO, 10).entries()).hasSize(2);
    }

    @Test
    void anOutageWithNothingToForwardIsToldOnceAndItsEndOnlyOnceRedisAnswers() throws Exception {
        Node a = new Node("a", new ListJournal());
        a.events.tick();
        store.down = true;
        for (int i = 0; i < 5; i++) {
            a.events.tick();
        }
        assertThat(a.heard()).singleElement().isInstanceOfSatisfying(EventHub.Next.Notice.class,
                n -> assertThat(n.type()).isEqualTo("cluster_unavailable"));
        store.down = false;
        a.events.tick();
        a.events.tick();
        assertThat(a.heard()).singleElement().isInstanceOfSatisfying(EventHub.Next.Notice.class,
                n -> assertThat(n.type()).isEqualTo("cluster_restored"));
    }

    @Test
    void aSourceThatCannotBeReadSaysSoAndAResumeFromATrimmedIdIsAGap() throws Exception {
        store.eventStreamLength = 3;
        Node a = new Node("a", new ListJournal());
        a.journal.add("cam", "stream_started");
        a.events.tick();
        long first = positions(a.heard()).getFirst();
        for (int i = 0; i < 4; i++) {
            a.journal.add("cam", "stream_recovered");
        }
        a.events.tick();
        EventSource.Page page = a.events.after(first, 100);
        assertThat(page.lost()).isTrue();
        assertThat(page.events()).hasSize(3);
        assertThat(a.events.after(0, 100).lost()).as("from the start nothing is missed").isFalse();

        store.down = true;
        try {
            a.events.after(first, 100);
            throw new AssertionError("read while Redis does not answer");
        } catch (EventSource.UnavailableException expected) {
            assertThat(expected.getMessage()).contains("cannot be read");
        }
    }

    @Test
    void beforeRedisEverAnsweredTheLastPositionIsUnknown() {
        store.down = true;
        Node a = new Node("a", new ListJournal());
        a.events.tick();
        try {
            a.events.lastPosition();
            throw new AssertionError("a last position while Redis never answered");
        } catch (EventSource.UnavailableException expected) {
            assertThat(expected.getMessage()).contains("cannot be read");
        }
    }
}
