package dev.headend.cluster;

import dev.headend.sync.SharedItem;
import java.time.Duration;
import java.util.List;
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
     * @param numbering where the taker's numbering is to start, when the giver said
     */
    record HandoverOffer(String channelId, String from, String to, String state,
            Optional<LocalStreams.Numbering> numbering) {
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
     * from}, {@code to}, {@code state} = offered, and {@code next_sequence} and {@code
     * discontinuity_sequence} when {@code numbering} is given) and the member {@code channel} of the set {@code
     * headend:handover-to:{to}}, both expiring after {@code expiry} (a node that died mid-way
     * leaves nothing behind).
     */
    void offerHandover(String channelId, String from, String to, Optional<LocalStreams.Numbering> numbering,
            Duration expiry) throws ClusterStoreException;

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
