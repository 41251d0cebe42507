package dev.headend.cluster;

import dev.headend.sync.SharedItem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster's shared state, as the node needs it (Redis in production, {@link
 * RedisClusterStore}). Every method either answers from the store or throws {@link
 * ClusterStoreException}: a command whose outcome is unknown is a failure.
 */
public interface ClusterStore extends AutoCloseable {
    /** Who holds a lease: the node and the fencing token of its grant. */
    record Holder(String node, long token) {
        /** What the lease key holds. */
        public String value() {
            return node + ":" + token;
        }

        static Optional<Holder> parse(String value) {
            if (value == null) {
                return Optional.empty();
            }
            int colon = value.lastIndexOf(':');
            try {
                return Optional.of(new Holder(value.substring(0, colon), Long.parseLong(value.substring(colon + 1))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** A lease as listed: its channel, holder and time left. */
    record LeaseEntry(String channelId, Holder holder, Duration ttlLeft) {}

    /**
     * A channel a draining node offers to another, as kept in {@code headend:handover:{channel}}.
     *
     * @param state {@code offered}, {@code ready} (the taker has a segment) or {@code released}
     *     (the giver gave the lease back)
     */
    record HandoverOffer(String channelId, String from, String to, String state) {
        public static final String OFFERED = "offered";
        public static final String READY = "ready";
        public static final String RELEASED = "released";
    }

    /** The outcome of a renewal or a release. */
    enum Outcome {
        /** The lease held this node's value and was renewed (or deleted). */
        DONE,
        /** The lease holds another value, or none. */
        NOT_HOLDER
    }

    /**
     * Takes the channel's lease for {@code node} when nobody holds it, with a new fencing token
     * ({@code INCR}, then {@code SET NX PX}); empty when someone holds it.
     */
    Optional<Holder> acquire(String channelId, String node, Duration ttl) throws ClusterStoreException;

    /** Renews the lease when it holds {@code value} (compare and act, in one script). */
    Outcome renew(String channelId, String value, Duration ttl) throws ClusterStoreException;

    /** Deletes the lease when it holds {@code value} (compare and act, in one script). */
    Outcome release(String channelId, String value) throws ClusterStoreException;

    /** Who holds the channel's lease now. */
    Optional<Holder> holder(String channelId) throws ClusterStoreException;

    /** Every lease held now. */
    List<LeaseEntry> leases() throws ClusterStoreException;

    /** Publishes this node's report; it is gone unless published again within {@code expiry}. */
    void publish(NodeReport report, Duration expiry) throws ClusterStoreException;

    /** Removes this node's report (it stops). */
    void withdraw(String node) throws ClusterStoreException;

    /** The nodes whose report has not expired. */
    List<NodeReport> nodes() throws ClusterStoreException;

    /** The cluster's shared secret: {@code candidate} when none is kept yet, else the one kept. */
    String sharedSecret(String candidate) throws ClusterStoreException;

    /** A channel's playlist state as read, and how long ago it was written, by Redis's clock. */
    record StoredPlaylist(PlaylistState state, Duration age) {}

    /**
     * The channel's playlist state ({@code headend:playlist:{channel}}, a hash: {@code node},
     * {@code token}, {@code next_sequence}, {@code discontinuity_sequence}, {@code segments}, {@code
     * live}, {@code written_ms}), with its age by Redis's clock; empty when none is kept (never
     * written, or expired).
     */
    Optional<StoredPlaylist> playlist(String channelId) throws ClusterStoreException;

    /**
     * Records the channel's playlist state, when the channel's lease holds {@code leaseValue}
     * (compare and act, in one script, which also stamps it with Redis's time), to expire {@code
     * expiry} after this write. The sequence numbers kept never go down (the larger of the kept
     * and the given one is kept); the recent segments are kept as they were when {@code state}
     * lists none. {@link Outcome#NOT_HOLDER} when the lease holds another value, or none: the
     * writer no longer owns the channel, and nothing was written.
     */
    Outcome recordPlaylist(String channelId, String leaseValue, PlaylistState state, Duration expiry)
            throws ClusterStoreException;

    /**
     * Counts a viewer session in the cluster-wide tally of its channel, in one script: {@code
     * headend:sessions:{channel}} is a sorted set of {@code {node}/{session id}} members scored
     * by when they expire (Redis's own clock); expired members are removed first, then the
     * session is added with an expiry {@code ttl} from now unless the channel already has {@code
     * limit} members (0: no limit). A member already there is renewed and counts as admitted.
     *
     * @return whether the session was admitted
     */
    boolean reserveSession(String channelId, String member, int limit, Duration ttl) throws ClusterStoreException;

    /**
     * Renews (or adds again, whatever the limit: these viewers already watch) this node's sessions
     * of a channel in its tally, each to expire {@code ttl} from now; a member not renewed within
     * its {@code ttl} (its node is gone, or its session ended while Redis did not answer) no longer
     * counts.
     */
    void renewSessions(String channelId, List<String> members, Duration ttl) throws ClusterStoreException;

    /** Removes a session from its channel's tally. */
    void releaseSession(String channelId, String member) throws ClusterStoreException;

    /** The sessions counted now (unexpired members) in each channel's tally; a channel with none is absent. */
    Map<String, Integer> sessionCounts(List<String> channelIds) throws ClusterStoreException;

    /** Entries the cluster's event stream keeps at least ({@code XADD MAXLEN ~}: Redis trims a little later). */
    int EVENT_STREAM_LENGTH = 50_000;

    /**
     * One event of a node, as it goes into the cluster's event stream.
     *
     * @param sequence the event's sequence in its node's journal
     * @param channelId empty for an event about a server
     * @param json the event's envelope
     */
    record NodeEvent(long sequence, String type, Optional<String> channelId, String json) {}

    /** An entry of the cluster's event stream: its id and the node that appended it. */
    record EventEntry(StreamId id, String node, NodeEvent event) {}

    /**
     * Entries after an id, oldest first.
     *
     * @param afterKept whether the stream still held the id read after ({@link StreamId#ZERO} always
     *     counts as held); when it did not, entries after it may have been trimmed (or the stream
     *     was lost with a Redis that restarted empty)
     */
    record EventPage(List<EventEntry> entries, boolean afterKept) {
        public EventPage {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Appends the node's events, in order, to the stream {@code headend:events} (fields {@code
     * node}, {@code sequence}, {@code type}, {@code channel_id}, {@code event}; {@code MAXLEN ~}
     * {@link #EVENT_STREAM_LENGTH}), skipping those whose sequence is not above {@code
     * headend:events-appended:{node}}, which the same script sets to the last appended: so a
     * retry after an unknown outcome never appends an event twice. Returns how many it appended.
     */
    int appendEvents(String node, List<NodeEvent> events) throws ClusterStoreException;

    /** The sequence of the node's last appended event ({@code headend:events-appended:{node}}), 0 when none. */
    long eventsAppended(String node) throws ClusterStoreException;

    /** Forgets the node's last appended sequence (its journal was replaced: its sequences start again). */
    void forgetEventsAppended(String node) throws ClusterStoreException;

    /** Up to {@code limit} entries of {@code headend:events} after {@code id}, and whether it still held {@code id}. */
    EventPage eventsAfter(StreamId id, int limit) throws ClusterStoreException;

    /** The id of the newest entry of {@code headend:events}, {@link StreamId#ZERO} when it has none. */
    StreamId lastEventId() throws ClusterStoreException;
    /**
     * Publishes one change made through {@code node}'s API, in one script: its number is {@code
     * INCR headend:config-seq} (raised to {@code floor} first when lower, so numbers keep growing
     * after Redis lost its data), each item is kept in the hash {@code headend:config} (field
     * {@code kind:key}, see {@link SharedChange}) and the change is published on {@code
     * headend:changes}. Numbers, kept state and messages are thus in the same order.
     *
     * @return the change's number
     */
    long publishChange(String node, List<SharedItem> items, long floor) throws ClusterStoreException;

    /** The number of the newest change published ({@code headend:config-seq}); 0 when none. */
    long changeSeq() throws ClusterStoreException;

    /** The latest state: every item ever published, with the number of the change that set it last. */
    List<SharedItem.Versioned> sharedItems() throws ClusterStoreException;

    /**
     * Subscribes to {@code headend:changes}, once: each change published from then on is given
     * to {@code listener} on the store's I/O thread (the listener must not block), also after a
     * reconnection (messages published while disconnected are lost: {@link #changeSeq} tells).
     */
    void subscribeChanges(Consumer<SharedChange> listener) throws ClusterStoreException;

    /**
     * Offers the channel to node {@code to}: the hash {@code headend:handover:{channel}} ({@code
     * from}, {@code to}, {@code state} = offered) and the member {@code channel} of the set {@code
     * headend:handover-to:{to}}, both expiring after {@code expiry} (a node that died mid-way
     * leaves nothing behind). The taker numbers its standby from the channel's playlist state
     * ({@link #playlist}), which the giver keeps recording until it releases the lease.
     */
    void offerHandover(String channelId, String from, String to, Duration expiry) throws ClusterStoreException;

    /** The offers made to {@code node} (set members whose hash expired are removed). */
    List<HandoverOffer> handoversTo(String node) throws ClusterStoreException;

    /** The channel's offer, if one is kept. */
    Optional<HandoverOffer> handover(String channelId) throws ClusterStoreException;

    /** Sets the offer's state when it is still made to {@code to} (compare and act, in one script). */
    void handoverState(String channelId, String to, String state) throws ClusterStoreException;

    /** Withdraws the channel's offer (the hash and its member of the taker's set). */
    void endHandover(String channelId) throws ClusterStoreException;

    @Override
    void close();
}
