package dev.headend.cluster;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headend.events.EventHub;
import dev.headend.events.EventJournal;
import dev.headend.events.EventSource;
import dev.headend.events.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's events: this node's events go from its journal into the cluster's event stream
 * in Redis, and the feeds of this node read that stream, so a listener at any node hears every
 * node's events, in the stream's order, with the stream entry id as the event's id (the same id
 * for the same event at every node, so a client resumes at any node).
 *
 * <p>At each {@link #tick} (one at a time): the events stored since the last one forwarded are
 * appended to the stream (a script skips those already appended, so a retry after an unknown
 * outcome adds nothing twice: the stream holds each event once), then the entries after the last
 * one read are published to the hub. Nothing of this touches webhooks: each node delivers its own
 * events from its own outbox (see {@code WebhookDispatcher}); the stream only feeds the feeds.
 *
 * <p>While Redis does not answer: events are still stored in the journal; the hub's listeners get
 * a {@code cluster_unavailable} notice, then this node's events as they are stored (asides,
 * without a cluster id); when Redis answers again they get a {@code cluster_restored} notice, the
 * events stored meanwhile are appended to the stream (late: after what other nodes appended
 * meanwhile) and the feeds go on from the stream, where this node's events of the outage come
 * again with their ids (the same {@code event_id}: announced by the notice, never silent). A
 * client that resumes from an id the stream no longer holds (trimmed, or lost with a Redis that
 * restarted empty) is told by a {@code gap}.
 */
public final class ClusterEvents implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);
    private static final int PAGE = 500;
    /** How often the stream is read (and this node's new events appended): the feeds' delay across nodes. */
    public static final Duration INTERVAL = Duration.ofMillis(200);

    private final ClusterStore store;
    private final String node;
    private final EventJournal journal;
    private final EventHub hub;
    /** The journal's last sequence when this node started: where forwarding starts when the stream has none of ours. */
    private final long startSequence;
    private final ReentrantLock ticking = new ReentrantLock();
    /** The last local sequence appended to the stream; -1 until Redis first answered. Under {@link #ticking}. */
    private long forwarded = -1;
    /** The last local sequence handed to the hub as an aside while Redis does not answer. Under {@link #ticking}. */
    private long asideAfter;
    private boolean unreachable;
    /** The position of the last entry published to the hub; -1 until Redis first answered. */
    private volatile long lastRead = -1;

    /** @param node this node's id, named by each entry it appends */
    public ClusterEvents(ClusterStore store, String node, EventJournal journal, EventHub hub) {
        this.store = store;
        this.node = node;
        this.journal = journal;
        this.hub = hub;
        this.startSequence = journal.lastSequence();
    }

    /** Forwards this node's new events to the stream and publishes the stream's new entries. */
    public void tick() {
        if (!ticking.tryLock()) {
            return;
        }
        try {
            exchange();
        } catch (RuntimeException e) {
            log.warn("cluster events: {}", e.toString());
        } finally {
            ticking.unlock();
        }
    }

    /**
     * A last exchange, waiting for one in flight to end: at shutdown, after the event log stored
     * the end of the streams just stopped, so other nodes' listeners hear of it now.
     */
    public void finish() {
        ticking.lock();
        try {
            exchange();
        } catch (RuntimeException e) {
            log.warn("cluster events: {}", e.toString());
        } finally {
            ticking.unlock();
        }
    }

    private void exchange() {
        try {
            if (lastRead < 0) {
                lastRead = store.lastEventId().position(); // before forwarding: this node's events are read too
            }
            forward();
            read();
        } catch (ClusterStoreException e) {
            if (!unreachable) {
                unreachable = true;
                asideAfter = Math.max(forwarded, startSequence);
                log.warn("cluster events: Redis does not answer ({}); events are stored here and sent to this node's"
                        + " listeners, and go to the cluster's stream when it answers again", e.getMessage());
                hub.notice("cluster_unavailable", notice("cluster_unavailable", "Redis does not answer: only this"
                        + " node's events follow, without cluster ids; they come again with their ids when it answers"));
            }
            aside();
        }
    }

    private void forward() throws ClusterStoreException {
        if (forwarded < 0) {
            long appended = store.eventsAppended(node);
            if (appended > startSequence) {
                log.warn("cluster events: the stream has events of node {} up to sequence {}, beyond this journal's {}:"
                        + " the journal is a new one; its events are appended from now on", node, appended,
                        startSequence);
                store.forgetEventsAppended(node);
                appended = 0;
            }
            forwarded = appended > 0 ? appended : startSequence;
        }
        while (true) {
            List<StoredEvent> page = journal.after(forwarded, PAGE);
            if (page.isEmpty()) {
                return;
            }
            store.appendEvents(node, page.stream().map(e -> new ClusterStore.NodeEvent(e.sequence(), e.type(),
                    e.channelId(), e.json())).toList());
            forwarded = page.getLast().sequence();
        }
    }

    private void read() throws ClusterStoreException {
        while (true) {
            ClusterStore.EventPage page = store.eventsAfter(StreamId.of(lastRead), PAGE);
            if (unreachable) {
                // only once Redis answered a command (forwarding may have had nothing to send)
                unreachable = false;
                log.info("cluster events: Redis answers again; events stored meanwhile are in the cluster's stream");
                hub.notice("cluster_restored", notice("cluster_restored", "Redis answers again: the feed goes on"
                        + " from the cluster's stream, where this node's events sent while it did not answer come"
                        + " again with their cluster ids (the same event_id)"));
            }
            if (!page.afterKept()) {
                hub.notice("gap", gap(lastRead));
            }
            if (page.entries().isEmpty()) {
                return;
            }
            hub.publish(page.entries().stream().map(ClusterEvents::stored).toList());
            lastRead = page.entries().getLast().id().position();
        }
    }

    private void aside() {
        List<StoredEvent> page = journal.after(asideAfter, PAGE);
        if (!page.isEmpty()) {
            hub.aside(page);
            asideAfter = page.getLast().sequence();
        }
    }

    private static StoredEvent stored(ClusterStore.EventEntry e) {
        return new StoredEvent(e.id().position(), e.event().type(), e.event().channelId(), e.event().json());
    }

    private static String notice(String type, String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type);
        o.put("message", message);
        return o.toString();
    }

    private static String gap(long after) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", "gap");
        o.put("after", StreamId.of(after).toString());
        o.put("message", "the cluster's stream no longer holds the last event read: events after it may have been"
                + " trimmed, or lost with a Redis that restarted empty");
        return o.toString();
    }

    @Override
    public EventHub hub() {
        return hub;
    }

    /**
     * The last entry published to the hub; before Redis first answered, the newest entry when it
     * answers now.
     *
     * @throws UnavailableException when neither is known
     */
    @Override
    public long lastPosition() {
        long last = lastRead;
        if (last >= 0) {
            return last;
        }
        try {
            return store.lastEventId().position();
        } catch (ClusterStoreException e) {
            throw new UnavailableException("the cluster's event stream cannot be read", e);
        }
    }

    @Override
    public Page after(long position, int limit) {
        try {
            ClusterStore.EventPage page = store.eventsAfter(StreamId.of(position), limit);
            return new Page(page.entries().stream().map(ClusterEvents::stored).toList(), !page.afterKept());
        } catch (ClusterStoreException e) {
            throw new UnavailableException("the cluster's event stream cannot be read", e);
        }
    }

    @Override
    public String id(long position) {
        return StreamId.of(position).toString();
    }

    @Override
    public Optional<Long> position(String id) {
        return StreamId.parse(id).map(StreamId::position);
    }

    @Override
    public String idForm() {
        return "an event id of the cluster's stream (such as 1764680000000-0)";
    }
}
