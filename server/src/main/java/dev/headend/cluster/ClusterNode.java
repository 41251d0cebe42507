package dev.headend.cluster;

import dev.headend.security.Secret;
import dev.headend.stream.Ownership;
import dev.headend.stream.PlaylistContinuity;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in the cluster: the leases it holds, its report in the registry, and where a
 * viewer's request for a channel is served.
 *
 * <p>Invariants. A stream runs here only while this node holds the channel's lease: the stream
 * manager asks {@link #claim} before it creates one, and {@link #tick} stops every stream whose
 * lease is lost or that runs without one. A lease is this node's only as {@link LeaseLife} says
 * (until the last successful grant or renewal's send time plus the TTL), so a node cut off from
 * Redis stops its pipelines when their leases would have expired, before Redis can grant them to
 * another node; a node that was paused past its leases finds them lost at its first check and
 * serves nothing more of those channels from its own store ({@link #route} no longer answers
 * {@link Route.Local}). No ownership is granted while Redis cannot be reached. When Redis answers
 * again the node publishes its report at once, and a lease Redis no longer has (Redis restarted
 * empty) is taken again, with a new token, if nobody took it meanwhile.
 *
 * <p>Drain ({@link #drain}): the node reports itself {@code draining}, so placement never picks
 * it, and hands each channel whose lease it holds to a serving node as {@link Handover} says: the
 * taker runs a standby stream, granted by {@link #claim} without a lease (never served as its
 * own: {@link #route} still names the lease holder), and asks for the lease once that stream has a
 * segment; the giver releases it only then, and the taker acquires it. So no two nodes ever count
 * the lease as theirs, and the taker's pipeline runs before the giver's stops.
 *
 * <p>Claims are serialized on this node (they are rare: a stream start), so two starts of one
 * channel here never race each other for the lease.
 *
 * <p>Playlist continuity. While this node holds a channel's lease and its stream runs here, each
 * check records the stream's numbering in Redis ({@link PlaylistState}) when a segment was
 * numbered since the last record; once more, not live, as the lease is given back after the
 * stream ended (not before: a start here in between keeps the lease, and its run stays live). So
 * at most one write per new segment: about {@code 1 / segment_seconds} Redis commands per
 * channel per second (0.5 at 2 s segments; one {@code EVAL}, which runs {@code GET}, {@code
 * TIME}, two {@code HGET}, {@code HSET} and {@code PEXPIRE} in Redis), beside the lease's
 * renewals; a stream's start costs an {@code HGETALL}, a {@code TIME} and one {@code EVAL}. Every
 * write is fenced by the lease: the script compares the lease key's value ({@code node:token})
 * with this node's, and a write Redis refuses loses the lease at once (its stream stops). A new
 * stream here {@link #resume resumes} from the recorded numbering; when the recorded run was live
 * on another node, that node was lost, and the stream manager tells that run's end before its
 * new stream's start.
 */
public final class ClusterNode implements Ownership, PlaylistContinuity {
    /** How often the node publishes its report; a node not heard from for {@link #MISSED_REPORTS} of these is gone. */
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);
    public static final int MISSED_REPORTS = 3;
    /**
     * How long the holder of a channel another node owns is taken as known, so that relayed
     * requests do not each ask Redis. Safe for fencing: a node that lost the lease refuses
     * relayed requests ({@code not_owner}); after a takeover, requests go to the old owner for
     * at most this long (and fail, to be retried).
     */
    static final Duration HOLDER_KEPT = Duration.ofSeconds(1);
    /** How long a check waits for a stream it asked to stop before it asks again. */
    static final Duration STOP_ASKED_AGAIN = Duration.ofSeconds(2);
    /** A viewer or a start told the store is unreachable is asked to come back after this long. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** How long a taker may take to make a segment, and then to take the released lease. */
    static final Duration HANDOVER_LIMIT = Duration.ofSeconds(30);
    /**
     * How far past the giver's recorded numbering ({@link PlaylistState}) the taker's standby
     * starts: more segments than the giver can make before it releases the lease (at most one a
     * second for {@link #HANDOVER_LIMIT}), so a viewer's playlist only ever moves forward across
     * the hand-over.
     */
    static final long HANDOVER_SEQUENCE_MARGIN = HANDOVER_LIMIT.toSeconds() + 1;
    /** How long after a hand-over the segments of the giver's last playlists are still served. */
    static final Duration HANDED_SEGMENTS_KEPT = Duration.ofSeconds(15);
    /** The request header carrying the cluster secret on requests between nodes. */
    public static final String PEER_HEADER = "X-Headend-Cluster";
    /** The response header naming the node a relayed answer came from. */
    public static final String RELAYED_FROM_HEADER = "X-Headend-Relayed-From";
    /**
     * How long a channel's playlist state stays in Redis after its last write: a stream started
     * within this time after the channel's last one (on any node) continues its numbering, and
     * keys of channels no longer run do not pile up.
     */
    public static final Duration PLAYLIST_KEPT = Duration.ofHours(24);

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterSettings settings;
    private final ClusterStore store;
    private final String id;
    private final Supplier<String> url;
    private final TimeSource time;
    private final LocalStreams local;
    private final Map<String, LeaseLife> leases = new ConcurrentHashMap<>();
    private final Map<String, RemoteHolder> remoteHolders = new ConcurrentHashMap<>();
    /** Channels whose remote holder a request is reading from Redis now; others meanwhile use the one known. */
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** Channels whose stream is being created here, its numbering read from Redis: their lease is not given back. */
    private final Set<String> resuming = ConcurrentHashMap.newKeySet();
    /** What this node last recorded of each channel's playlist, and under which lease value. */
    private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
    private final Object claims = new Object();
    /**
     * When this node last asked each channel's stream to stop, for channels that still ran at the
     * last check (used by checks only): a stop is asked again after {@link #STOP_ASKED_AGAIN}, so
     * a channel stopped and started again meanwhile (a new stream under a new lease) is stopped
     * when that lease is lost in turn.
     */
    private final Map<String, Moment> stopsAsked = new HashMap<>();
    private final ReentrantLock ticking = new ReentrantLock();
    private volatile boolean reachable;
    private volatile boolean everReached;
    private volatile List<NodeReport> nodes = List.of();
    private volatile Moment lastReport;
    private volatile Optional<Secret> secret;
    private final ClusterSessions sessions;
    private volatile boolean draining;
    /** The hand-overs of this draining node, by channel (the last one of each channel, kept to be shown). */
    private final Map<String, Handover> handovers = new ConcurrentHashMap<>();
    /** Channels offered to this node whose stream runs here as a standby, without the lease: their offers. */
    private final Map<String, ClusterStore.HandoverOffer> standby = new ConcurrentHashMap<>();
    /** The first media sequence of each standby stream here, once it was numbered ({@link #resume}). */
    private final Map<String, Long> standbyFirst = new ConcurrentHashMap<>();
    /**
     * Channels handed over, on each side, while the segments of the giver's last playlists may
     * still be asked for: the giver serves them from its own store (its pipeline runs on until
     * then), the taker relays a request for one below its own first number to the giver.
     */
    private final Map<String, HandedOver> handedOver = new ConcurrentHashMap<>();

    /**
     * @param giver the node that had the channel
     * @param firstSequence the taker's first media sequence (0 on the giver's side)
     * @param until when the giver's segments are no longer asked for
     */
    private record HandedOver(String giver, long firstSequence, Moment until) {}

    /**
     * @param url this node's base URL for other nodes (known once HTTP listens)
     * @param local the streams running here
     */
    public ClusterNode(ClusterSettings settings, ClusterStore store, String id, Supplier<String> url,
            TimeSource time, LocalStreams local) {
        this.settings = settings;
        this.store = store;
        this.id = id;
        this.url = url;
        this.time = time;
        this.local = local;
        this.secret = settings.secret();
        this.sessions = new ClusterSessions(store, id);
    }

    /** This node's viewer sessions in the cluster-wide tallies (on this node's Redis connection). */
    public ClusterSessions sessions() {
        return sessions;
    }

    /** The owner of a channel another node holds, as read from Redis at {@code at}. */
    private record RemoteHolder(Route.Remote route, Moment at) {}

    /** A playlist state this node wrote, under the lease holding {@code leaseValue}. */
    private record Recorded(String leaseValue, long nextSequence, long discontinuitySequence, boolean live) {}

    /** How often {@link #tick} should run: often enough to renew at a third of the TTL. */
    public Duration tickInterval() {
        Duration sixth = settings.leaseTtl().dividedBy(6);
        return sixth.compareTo(Duration.ofMillis(500)) < 0 ? sixth : Duration.ofMillis(500);
    }

    /** Joins the cluster: publishes this node's report (a Redis that does not answer yet is retried by checks). */
    public void start() {
        report(time.now());
        log.info("cluster node {} at {}: Redis {} {}", id, url.get(), settings.redis(),
                reachable ? "connected" : "unreachable, retried every " + tickInterval().toMillis() + " ms");
    }

    /** Leaves the cluster: gives back every lease (its streams are stopped by then) and withdraws the report. */
    public void stop() {
        for (LeaseLife l : List.copyOf(leases.values())) {
            release(l);
        }
        try {
            store.withdraw(id);
        } catch (ClusterStoreException e) {
            log.info("cluster node {}: report not withdrawn ({}); it expires by itself", id, e.getMessage());
        }
        store.close();
    }

    @Override
    public Claim claim(String channelId) {
        synchronized (claims) {
            Moment now = time.now();
            LeaseLife held = leases.get(channelId);
            if (held != null && held.heldAt(now)) {
                held.claimed(now); // not given back before the stream it allows has had time to start
                return new Claim.Granted();
            }
            if (standby.containsKey(channelId)) {
                // a standby for a hand-over runs without the lease, serving nothing as its own, until
                // the giver released the lease (acquire only succeeds then)
                try {
                    Moment sent = time.now();
                    Optional<ClusterStore.Holder> granted = store.acquire(channelId, id, settings.leaseTtl());
                    reached();
                    granted.ifPresent(g -> took(channelId, g, sent));
                } catch (ClusterStoreException e) {
                    unreached(e);
                }
                return new Claim.Granted();
            }
            try {
                for (int attempt = 0; attempt < 2; attempt++) {
                    Moment sent = time.now();
                    Optional<ClusterStore.Holder> granted = store.acquire(channelId, id, settings.leaseTtl());
                    reached();
                    if (granted.isPresent()) {
                        leases.put(channelId, new LeaseLife(channelId, granted.get().value(), granted.get().token(),
                                settings.leaseTtl(), sent));
                        log.info("cluster: lease of channel {} granted to node {} (fencing token {})", channelId, id,
                                granted.get().token());
                        return new Claim.Granted();
                    }
                    Optional<ClusterStore.Holder> holder = store.holder(channelId);
                    if (holder.isPresent() && !holder.get().node().equals(id)) {
                        return new Claim.Elsewhere(holder.get().node(), urlOf(holder.get().node()).orElse(""));
                    }
                    // an own lease from before a restart of this node waits for its expiry; a lease
                    // released meanwhile is tried once more
                }
                return new Claim.Unavailable("the channel's lease is held by an earlier run of this node until it"
                        + " expires", settings.leaseTtl());
            } catch (ClusterStoreException e) {
                unreached(e);
                return new Claim.Unavailable("the cluster's Redis cannot be reached; no channel starts until it can",
                        RETRY_AFTER);
            }
        }
    }

    /**
     * Where a viewer's request for a channel is served: here when this node holds its lease; at
     * the holder when another node does; for a channel nobody owns, here when {@code place} is
     * false (a segment, or a request a node relayed) or when placement picks this node (which
     * then takes the lease), else at the node placement picks.
     */
    public Route route(String channelId, boolean place) {
        Moment now = time.now();
        LeaseLife held = leases.get(channelId);
        if (held != null && held.heldAt(now)) {
            return new Route.Local();
        }
        if (standby.containsKey(channelId)) {
            return standbyRoute(channelId);
        }
        RemoteHolder seen = remoteHolders.get(channelId);
        if (seen != null && now.isBefore(seen.at().plus(HOLDER_KEPT))) {
            return seen.route();
        }
        if (seen != null && !refreshing.add(channelId)) {
            return seen.route(); // another request is asking Redis: one question per channel, not one per viewer
        }
        try {
            Optional<ClusterStore.Holder> holder = store.holder(channelId);
            reached();
            if (holder.isPresent() && !holder.get().node().equals(id)) {
                Optional<String> ownerUrl = urlOf(holder.get().node());
                if (ownerUrl.isEmpty()) {
                    return new Route.Unavailable("the node that owns channel " + channelId
                            + " is not in the registry", RETRY_AFTER);
                }
                Route.Remote remote = new Route.Remote(holder.get().node(), ownerUrl.get());
                remoteHolders.put(channelId, new RemoteHolder(remote, now));
                return remote;
            }
            remoteHolders.remove(channelId);
            if (holder.isPresent() || (!place && !draining)) { // a draining node takes no channel nobody owns
                return new Route.Local();
            }
            Optional<NodeReport> target = Placement.choose(withSelf(store.nodes()));
            if (target.isEmpty() || target.get().id().equals(id)) {
                return switch (claim(channelId)) {
                    case Claim.Granted g -> new Route.Local();
                    case Claim.Elsewhere e -> new Route.Remote(e.node(), e.url());
                    case Claim.Unavailable u -> new Route.Unavailable(u.reason(), u.retryAfter());
                };
            }
            return new Route.Remote(target.get().id(), target.get().url());
        } catch (ClusterStoreException e) {
            unreached(e);
            return new Route.Unavailable("the cluster's Redis cannot be reached", RETRY_AFTER);
        } finally {
            if (seen != null) {
                refreshing.remove(channelId);
            }
        }
    }

    /**
     * A channel offered to this node: served by the lease holder (the giver, until it releases
     * it); once released, taken here at once rather than at the next check, so that the giver's
     * viewers, relayed here, are served by the standby stream with no wait.
     */
    private Route standbyRoute(String channelId) {
        try {
            Optional<ClusterStore.Holder> holder = store.holder(channelId);
            reached();
            if (holder.isEmpty()) {
                return switch (claim(channelId)) {
                    case Claim.Granted g -> new Route.Local();
                    case Claim.Elsewhere e -> new Route.Remote(e.node(), e.url());
                    case Claim.Unavailable u -> new Route.Unavailable(u.reason(), u.retryAfter());
                };
            }
            if (holder.get().node().equals(id)) {
                return new Route.Local();
            }
            Optional<String> ownerUrl = urlOf(holder.get().node());
            return ownerUrl.<Route>map(u -> new Route.Remote(holder.get().node(), u)).orElseGet(() ->
                    new Route.Unavailable("the node that owns channel " + channelId + " is not in the registry",
                            RETRY_AFTER));
        } catch (ClusterStoreException e) {
            unreached(e);
            return new Route.Unavailable("the cluster's Redis cannot be reached", RETRY_AFTER);
        }
    }

    /** The registry's reports, with this node's own when it is not listed yet. */
    private List<NodeReport> withSelf(List<NodeReport> listed) {
        nodes = listed;
        if (listed.stream().anyMatch(n -> n.id().equals(id))) {
            return listed;
        }
        List<NodeReport> all = new ArrayList<>(listed);
        all.add(ownReport());
        return all;
    }

    /**
     * Periodic work: stops the streams whose lease is lost, or that run without one; gives back
     * the leases of channels that no longer run here; renews the others when due; publishes this
     * node's report every {@link #REPORT_INTERVAL}. Runs off the shared scheduler (its Redis
     * commands may wait up to their timeout); a check still running when the next is due makes
     * that one skip.
     */
    public void tick() {
        if (!ticking.tryLock()) {
            return; // the previous check still waits for Redis
        }
        try {
            check();
        } finally {
            ticking.unlock();
        }
    }

    private void check() {
        Moment now = time.now();
        Set<String> running = local.running();
        stopsAsked.keySet().retainAll(running);
        for (LeaseLife l : List.copyOf(leases.values())) {
            if (l.heldAt(now) && running.contains(l.channelId())) {
                recordPlaylist(l, true);
            }
        }
        for (LeaseLife l : List.copyOf(leases.values())) {
            if (l.state(now) instanceof LeaseLife.State.Lost lost) {
                leases.remove(l.channelId(), l);
                recorded.remove(l.channelId());
                log.warn("cluster: node {} lost the lease of channel {} (token {}): {}; its pipeline stops here",
                        id, l.channelId(), l.token(), lost.reason());
                stop(l.channelId(), "cluster lease lost: " + lost.reason(), now);
            } else if (!running.contains(l.channelId()) && !resuming.contains(l.channelId())
                    && l.sinceClaimed(now).compareTo(settings.leaseTtl().dividedBy(3)) > 0) {
                release(l);
            } else if (l.renewalDue(now)) {
                renew(l);
            }
        }
        for (String channelId : running) {
            HandedOver h = handedOver.get(channelId);
            if (h != null && !now.isBefore(h.until())) {
                handedOver.remove(channelId, h);
                h = null;
            }
            boolean giversLastSegments = h != null && h.giver().equals(id);
            if (!leases.containsKey(channelId) && !standby.containsKey(channelId) && !giversLastSegments) {
                stop(channelId, "cluster lease lost", now);
            }
        }
        if (lastReport == null || !now.isBefore(lastReport.plus(REPORT_INTERVAL)) || !reachable) {
            report(now);
        }
        try {
            if (draining) {
                handOver(now);
            }
            take();
        } catch (ClusterStoreException e) {
            unreached(e);
        }
    }

    /** This node acquired the lease of a channel offered to it: its standby stream is now the owner's. */
    private void took(String channelId, ClusterStore.Holder granted, Moment sent) {
        leases.put(channelId, new LeaseLife(channelId, granted.value(), granted.token(), settings.leaseTtl(), sent));
        ClusterStore.HandoverOffer offer = standby.remove(channelId);
        Long first = standbyFirst.remove(channelId);
        if (offer != null && first != null) {
            handedOver.put(channelId, new HandedOver(offer.from(), first, time.now().plus(HANDED_SEGMENTS_KEPT)));
        }
        log.info("cluster: node {} took channel {} over (fencing token {})", id, channelId, granted.token());
    }

    /** The answer to {@link #drain}. */
    public sealed interface DrainAnswer {
        /** Draining: these channels are being handed over. */
        record Draining(List<Handover> handovers) implements DrainAnswer {}

        /** No other node serves: nothing changed. */
        record NoOtherNode(String reason) implements DrainAnswer {}

        /** Redis cannot be reached: nothing changed. */
        record Unavailable(String reason) implements DrainAnswer {}
    }

    /**
     * Starts draining this node: it reports itself {@code draining} at once and offers each
     * channel whose lease it holds to the serving node placement picks (the checks carry the
     * hand-overs on, and offer any channel this node comes to hold later). When no other node
     * serves, or Redis cannot be reached, nothing changes. Draining again shows the progress.
     */
    public DrainAnswer drain() {
        Moment now = time.now();
        try {
            List<NodeReport> others = others(store.nodes());
            reached();
            if (!draining && others.isEmpty()) {
                return new DrainAnswer.NoOtherNode("no other node serves in the cluster: node " + id
                        + " would have nobody to hand its channels to");
            }
            if (!draining) {
                draining = true;
                log.info("cluster: node {} drains: it hands its {} channel(s) to the other nodes", id, leases.size());
                report(now);
                handOver(now);
            }
            return new DrainAnswer.Draining(List.copyOf(handovers.values()));
        } catch (ClusterStoreException e) {
            unreached(e);
            return new DrainAnswer.Unavailable("the cluster's Redis cannot be reached; nothing changed");
        }
    }

    /** The serving nodes other than this one, as listed. */
    private List<NodeReport> others(List<NodeReport> listed) {
        nodes = listed;
        return listed.stream().filter(n -> n.serving() && !n.id().equals(id)).toList();
    }

    /** The giver's side: offers each held channel not being handed over, and steps each hand-over. */
    private void handOver(Moment now) throws ClusterStoreException {
        for (LeaseLife l : List.copyOf(leases.values())) {
            Handover h = handovers.get(l.channelId());
            if (h == null || h.over()) {
                Optional<NodeReport> taker = Placement.choose(others(store.nodes()));
                if (taker.isPresent()) {
                    store.offerHandover(l.channelId(), id, taker.get().id(), HANDOVER_LIMIT.multipliedBy(2));
                    handovers.put(l.channelId(), new Handover(l.channelId(), taker.get().id(), HANDOVER_LIMIT, now));
                    log.info("cluster: node {} offers channel {} to node {}", id, l.channelId(), taker.get().id());
                }
            }
        }
        for (Handover h : handovers.values()) {
            if (h.over()) {
                continue;
            }
            Optional<ClusterStore.HandoverOffer> offer = store.handover(h.channelId());
            boolean ready = offer.filter(o -> o.to().equals(h.taker())
                    && !o.state().equals(ClusterStore.HandoverOffer.OFFERED)).isPresent();
            Optional<String> holder = store.holder(h.channelId()).map(ClusterStore.Holder::node);
            switch (h.step(time.now(), ready, holder, id)) {
                case RELEASE -> {
                    LeaseLife l = leases.get(h.channelId());
                    if (l != null) {
                        // its stream serves the segments of its last playlists, then stops: it runs without a lease
                        handedOver.put(h.channelId(), new HandedOver(id, 0, time.now().plus(HANDED_SEGMENTS_KEPT)));
                        release(l);
                    }
                    store.handoverState(h.channelId(), h.taker(), ClusterStore.HandoverOffer.RELEASED);
                    log.info("cluster: node {} released channel {}: node {} has a segment", id, h.channelId(),
                            h.taker());
                }
                case END -> {
                    store.endHandover(h.channelId());
                    log.info("cluster: hand-over of channel {} from node {} to node {}: {}", h.channelId(), id,
                            h.taker(), h.state());
                }
                case NONE -> {}
            }
        }
    }

    /**
     * The taker's side: starts a standby stream for each channel offered here, says when it has a
     * segment, acquires the lease once released; a standby whose offer is gone stops.
     */
    private void take() throws ClusterStoreException {
        List<ClusterStore.HandoverOffer> offers = store.handoversTo(id);
        Set<String> offered = new HashSet<>();
        for (ClusterStore.HandoverOffer o : offers) {
            String channelId = o.channelId();
            offered.add(channelId);
            if (holds(channelId)) {
                standby.remove(channelId);
                standbyFirst.remove(channelId);
            } else if (standby.putIfAbsent(channelId, o) == null) {
                log.info("cluster: node {} prepares channel {} offered by node {}", id, channelId, o.from());
                local.prepare(channelId);
            } else if (o.state().equals(ClusterStore.HandoverOffer.RELEASED)) {
                synchronized (claims) {
                    Moment sent = time.now();
                    store.acquire(channelId, id, settings.leaseTtl()).ifPresent(g -> took(channelId, g, sent));
                }
            } else if (o.state().equals(ClusterStore.HandoverOffer.OFFERED) && standbyFirst.containsKey(channelId)
                    && local.ready(channelId)) {
                // only a standby numbered past the giver's record is ready to take over
                store.handoverState(channelId, id, ClusterStore.HandoverOffer.READY);
            }
        }
        for (String channelId : List.copyOf(standby.keySet())) {
            if (!offered.contains(channelId)) {
                standby.remove(channelId);
                standbyFirst.remove(channelId);
                if (!holds(channelId)) {
                    stop(channelId, "cluster hand-over withdrawn", time.now());
                }
            }
        }
    }

    /** Asks for the channel's stream to stop, once: a stop takes a while, during which the stream still runs. */
    private void stop(String channelId, String reason, Moment now) {
        Moment asked = stopsAsked.get(channelId);
        if (asked == null || !now.isBefore(asked.plus(STOP_ASKED_AGAIN))) {
            stopsAsked.put(channelId, now);
            local.stop(channelId, reason);
        }
    }

    private void renew(LeaseLife l) {
        Moment sent = time.now();
        try {
            if (store.renew(l.channelId(), l.value(), settings.leaseTtl()) == ClusterStore.Outcome.DONE) {
                l.renewed(sent);
                reached();
                return;
            }
            reached();
            Optional<ClusterStore.Holder> holder = store.holder(l.channelId());
            if (holder.isEmpty()) {
                // Redis lost the key (restarted empty) and nobody took it: take it again, with a new token
                Optional<ClusterStore.Holder> again = store.acquire(l.channelId(), id, settings.leaseTtl());
                if (again.isPresent()) {
                    leases.replace(l.channelId(), l, new LeaseLife(l.channelId(), again.get().value(),
                            again.get().token(), settings.leaseTtl(), sent));
                    log.info("cluster: node {} took the lease of channel {} again (fencing token {})", id,
                            l.channelId(), again.get().token());
                    return;
                }
            }
            l.lose("node " + holder.map(ClusterStore.Holder::node).orElse("another node") + " holds it now");
        } catch (ClusterStoreException e) {
            unreached(e); // the lease runs out by itself unless a later renewal succeeds
        }
    }

    private void release(LeaseLife l) {
        recordPlaylist(l, false);
        leases.remove(l.channelId(), l);
        recorded.remove(l.channelId());
        try {
            store.release(l.channelId(), l.value());
            log.info("cluster: node {} gave back the lease of channel {}", id, l.channelId());
        } catch (ClusterStoreException e) {
            unreached(e); // it expires by itself
        }
    }

    /**
     * Where a stream of the channel created here starts numbering: after what the channel's
     * earlier owners recorded (see {@link PlaylistState#resume}), recorded at once as this node's
     * live run. Without a lease (lost meanwhile) the local numbering, the check stopping the
     * stream; when Redis does not answer, the local numbering too, and the lease is counted lost
     * (a stream numbered without the cluster's record could repeat numbers players saw). A
     * standby stream for a hand-over (no lease yet) is numbered by {@link #standbyStart}.
     */
    @Override
    public Resumed resume(String channelId, long nextSequence, long discontinuitySequence) {
        Resumed local = new Resumed(nextSequence, discontinuitySequence, Optional.empty());
        LeaseLife l = leases.get(channelId);
        if (l == null || !l.heldAt(time.now())) {
            return standby.containsKey(channelId) ? standbyStart(channelId, local) : local;
        }
        resuming.add(channelId);
        try {
            Optional<ClusterStore.StoredPlaylist> stored = store.playlist(channelId);
            reached();
            Resumed r = stored.map(s -> s.state().resume(s.age(), id, nextSequence, discontinuitySequence))
                    .orElse(local);
            record(l, new PlaylistState(id, l.token(), r.nextSequence(), r.discontinuitySequence(), List.of(),
                    true));
            if (stored.isPresent()) {
                log.info("cluster: channel {} continues on node {} at media sequence {}, discontinuity sequence {}"
                        + " (recorded by node {}: {}, {}{})", channelId, id, r.nextSequence(),
                        r.discontinuitySequence(), stored.get().state().node(), stored.get().state().nextSequence(),
                        stored.get().state().discontinuitySequence(), stored.get().state().live()
                                ? ", written " + stored.get().age().toMillis() + " ms before while it ran" : "");
            }
            return r;
        } catch (ClusterStoreException e) {
            unreached(e);
            l.lose("the channel's playlist state could not be read or recorded in Redis");
            return local;
        } finally {
            l.claimed(time.now()); // the stream it allows is listed as running right after this
            resuming.remove(channelId);
        }
    }

    /**
     * Where a standby stream for a hand-over starts: {@link #HANDOVER_SEQUENCE_MARGIN} past the
     * numbering the giver recorded (it records it at each new segment until it releases the
     * lease), so the taker's segments come after every one the giver makes meanwhile. Nothing is
     * recorded (the lease is the giver's) and no run is lost (the giver's runs on). When Redis does
     * not answer, the standby is not numbered: it never says it is ready, and the hand-over fails
     * and is offered again.
     */
    private Resumed standbyStart(String channelId, Resumed local) {
        try {
            Optional<ClusterStore.StoredPlaylist> stored = store.playlist(channelId);
            reached();
            Resumed recorded = stored.map(s -> s.state().resume(s.age(), id, local.nextSequence(),
                    local.discontinuitySequence())).orElse(local);
            Resumed start = new Resumed(recorded.nextSequence() + HANDOVER_SEQUENCE_MARGIN,
                    recorded.discontinuitySequence(), Optional.empty());
            standbyFirst.put(channelId, start.nextSequence());
            log.info("cluster: node {} numbers its standby of channel {} from media sequence {}", id, channelId,
                    start.nextSequence());
            return start;
        } catch (ClusterStoreException e) {
            unreached(e);
            return local;
        }
    }

    /**
     * Records the channel's numbering under its lease: while its stream runs here, when a segment
     * was numbered since the last record; when the lease is given back, once, not live (with the
     * stream's final numbering, or the last recorded one when none is known here any more).
     */
    private void recordPlaylist(LeaseLife l, boolean runs) {
        Recorded last = recorded.get(l.channelId());
        boolean underThisLease = last != null && last.leaseValue().equals(l.value());
        Optional<LocalStreams.Numbering> numbering = local.numbering(l.channelId());
        PlaylistState state;
        if (runs) {
            if (numbering.isEmpty() || underThisLease && last.live()
                    && numbering.get().nextSequence() <= last.nextSequence()) {
                return; // no segment numbered since the last record
            }
            LocalStreams.Numbering n = numbering.get();
            state = new PlaylistState(id, l.token(), n.nextSequence(), n.discontinuitySequence(), n.listed(), true);
        } else {
            if (!underThisLease || !last.live()) {
                return; // nothing ran here under this lease, or its end is recorded
            }
            state = new PlaylistState(id, l.token(),
                    Math.max(last.nextSequence(), numbering.map(LocalStreams.Numbering::nextSequence).orElse(0L)),
                    Math.max(last.discontinuitySequence(),
                            numbering.map(LocalStreams.Numbering::discontinuitySequence).orElse(0L)),
                    List.of(), false);
        }
        try {
            record(l, state);
            reached();
        } catch (ClusterStoreException e) {
            unreached(e); // recorded by a later check, or counted by the next owner from the record's age
        }
    }

    /**
     * Writes a playlist state under the lease. A write Redis refuses because another node holds the
     * lease loses it; one refused because Redis has no lease key (it restarted empty) is left to
     * the renewal, which takes the lease again, and is written again by a later check.
     */
    private void record(LeaseLife l, PlaylistState state) throws ClusterStoreException {
        if (store.recordPlaylist(l.channelId(), l.value(), state, PLAYLIST_KEPT) == ClusterStore.Outcome.DONE) {
            recorded.put(l.channelId(), new Recorded(l.value(), state.nextSequence(), state.discontinuitySequence(),
                    state.live()));
        } else if (store.holder(l.channelId()).isPresent()) {
            log.warn("cluster: Redis refused node {}'s playlist state of channel {} (token {}): the lease is no"
                    + " longer its", id, l.channelId(), l.token());
            l.lose("Redis refused its playlist state: another node holds the lease");
        }
    }

    private void report(Moment now) {
        try {
            if (settings.secret().isEmpty()) {
                // the one kept in Redis; kept there again after Redis lost it (every node offers the same one)
                secret = Optional.of(Secret.of(store.sharedSecret(secret.map(Secret::reveal).orElseGet(
                        ClusterNode::newSecret))));
            }
            store.publish(ownReport(), REPORT_INTERVAL.multipliedBy(MISSED_REPORTS));
            nodes = store.nodes();
            lastReport = now;
            reached();
        } catch (ClusterStoreException e) {
            unreached(e);
        }
    }

    private NodeReport ownReport() {
        return new NodeReport(id, url.get(), draining ? NodeReport.DRAINING : NodeReport.SERVING, local.running().size(), local.viewers(), cpuLoad(),
                time.wallClock().toEpochMilli());
    }

    private void reached() {
        if (!reachable) {
            reachable = true;
            if (everReached) {
                log.info("cluster: Redis at {} answers again; node {} registers again", settings.redis(), id);
                lastReport = null;
            }
            everReached = true;
        }
    }

    private void unreached(ClusterStoreException e) {
        if (reachable || !everReached) {
            log.warn("cluster: {}; no channel starts on node {} until it answers, and its running channels stop"
                    + " when their leases would run out", e.getMessage(), id);
        }
        reachable = false;
        everReached = true;
    }

    private Optional<String> urlOf(String node) {
        if (node.equals(id)) {
            return Optional.of(url.get());
        }
        Optional<String> known = nodes.stream().filter(n -> n.id().equals(node)).map(NodeReport::url).findFirst();
        if (known.isPresent()) {
            return known;
        }
        try {
            nodes = store.nodes();
        } catch (ClusterStoreException e) {
            unreached(e);
        }
        return nodes.stream().filter(n -> n.id().equals(node)).map(NodeReport::url).findFirst();
    }

    private static double cpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getCpuLoad();
        }
        return -1;
    }

    private static String newSecret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Whether {@code credential} (a request's {@link #PEER_HEADER}) is the cluster secret: a node sent the request. */
    public boolean fromPeer(Optional<String> credential) {
        Optional<Secret> s = secret;
        return credential.isPresent() && s.isPresent() && s.get().matches(credential.get());
    }

    /** The credential this node gives other nodes; empty while Redis has not been reached (no secret yet). */
    public Optional<Secret> credential() {
        return secret;
    }

    /** The cluster's store this node uses (its other users share its connection). */
    public ClusterStore store() {
        return store;
    }

    public String id() {
        return id;
    }

    public String url() {
        return url.get();
    }

    /** The other nodes in the registry, as last read (at most {@link #REPORT_INTERVAL} ago while Redis answers). */
    public List<NodeReport> peers() {
        return nodes.stream().filter(n -> !n.id().equals(id)).toList();
    }

    /** Whether viewers of channels other nodes own get a redirect rather than a relay. */
    /** How long an ownership lease lasts without renewal: an owner that died is named by its lease this long. */
    public Duration leaseTtl() {
        return settings.leaseTtl();
    }

    public boolean redirect() {
        return settings.redirect();
    }

    public boolean reachable() {
        return reachable;
    }

    /**
     * Whether a request for a segment of the channel is answered from this node's own store: it
     * holds the lease, or it just handed the channel over and the segments of its last playlists
     * may still be asked for (the taker numbers its own past them). Memory only.
     */
    public boolean servesSegments(String channelId) {
        HandedOver h = handedOver.get(channelId);
        return holds(channelId) || (h != null && h.giver().equals(id) && time.now().isBefore(h.until()));
    }

    /**
     * The node that had the channel before it was handed to this node, for a segment numbered
     * below this node's first: for a while after the hand-over, the segment is the giver's. Memory
     * only.
     */
    public Optional<Route.Remote> earlierOwner(String channelId, long sequence) {
        HandedOver h = handedOver.get(channelId);
        if (h == null || h.giver().equals(id) || sequence >= h.firstSequence() || !time.now().isBefore(h.until())) {
            return Optional.empty();
        }
        return nodes.stream().filter(n -> n.id().equals(h.giver())).findFirst()
                .map(n -> new Route.Remote(n.id(), n.url()));
    }

    /** Whether this node holds the channel's lease now. */
    public boolean holds(String channelId) {
        LeaseLife l = leases.get(channelId);
        return l != null && l.heldAt(time.now());
    }

    /** What {@code GET /api/cluster} shows. */
    public record Status(String node, String url, boolean redisReachable, List<NodeReport> nodes,
            List<ClusterStore.LeaseEntry> leases) {}

    /** Whether this node drains. */
    public boolean draining() {
        return draining;
    }

    /** This node's hand-overs (the last of each channel), while it drains. */
    public List<Handover> handovers() {
        return List.copyOf(handovers.values());
    }

    /** How many channel leases this node holds now (0: a draining node is drained). */
    public int owned() {
        Moment now = time.now();
        return (int) leases.values().stream().filter(l -> l.heldAt(now)).count();
    }

    /**
     * This node, Redis's state, the registry's nodes and every lease; when Redis cannot be
     * reached, the nodes last read and this node's own leases.
     */
    public Status status() {
        Moment now = time.now();
        try {
            List<ClusterStore.LeaseEntry> all = store.leases();
            List<NodeReport> listed = store.nodes();
            nodes = listed;
            reached();
            return new Status(id, url.get(), true, listed, all);
        } catch (ClusterStoreException e) {
            unreached(e);
            List<ClusterStore.LeaseEntry> own = new ArrayList<>();
            for (LeaseLife l : leases.values()) {
                if (l.state(now) instanceof LeaseLife.State.Held h) {
                    own.add(new ClusterStore.LeaseEntry(l.channelId(), new ClusterStore.Holder(id, l.token()),
                            now.until(h.validUntil())));
                }
            }
            return new Status(id, url.get(), false, nodes, own);
        }
    }
}
