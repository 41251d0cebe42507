package dev.headend.cluster;

import dev.headend.support.ManualTime;
import dev.headend.sync.SharedItem;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The cluster store in memory, on a manual clock, as Redis keeps it; it can be made unreachable. */
final class MemoryClusterStore implements ClusterStore {
    private record Entry(String value, Moment expires) {}

    private record Playlist(PlaylistState state, Moment written, Moment expires) {}

    private final ManualTime time;
    private final Map<String, Entry> leases = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final Map<String, NodeReport> nodes = new LinkedHashMap<>();
    private final Map<String, Moment> nodeExpiry = new HashMap<>();
    private final Map<String, Playlist> playlists = new HashMap<>();
    /** Per channel: session member -> when it stops counting. */
    private final Map<String, Map<String, Moment>> sessions = new HashMap<>();
    private String secret;
    private final List<EventEntry> events = new ArrayList<>();
    private final Map<String, Long> appended = new HashMap<>();
    private long lastEventMillis = 1_764_680_000_000L;
    /** Entries the stream keeps (exactly; Redis trims approximately). */
    int eventStreamLength = EVENT_STREAM_LENGTH;
    private long configSeq;
    private final Map<String, SharedItem.Versioned> config = new LinkedHashMap<>();
    private final List<Consumer<SharedChange>> subscribers = new CopyOnWriteArrayList<>();
    /** While true, published changes are kept but not announced (subscribers disconnected). */
    boolean muted;
    boolean down;
    /** Reads of a lease's holder so far. */
    final AtomicInteger holderReads = new AtomicInteger();
    /** When set, each read of a holder waits for it first (a command in flight). */
    volatile CountDownLatch holderGate;
    /** Playlist states written (accepted or refused). */
    int playlistWrites;

    MemoryClusterStore(ManualTime time) {
        this.time = time;
    }

    private void check() throws ClusterStoreException {
        if (down) {
            throw new ClusterStoreException("Redis at memory did not answer", new IllegalStateException("down"));
        }
    }

    private Optional<Entry> live(String channelId) {
        Entry e = leases.get(channelId);
        if (e != null && !time.now().isBefore(e.expires())) {
            leases.remove(channelId);
            return Optional.empty();
        }
        return Optional.ofNullable(e);
    }

    @Override
    public synchronized Optional<Holder> acquire(String channelId, String node, Duration ttl)
            throws ClusterStoreException {
        check();
        long token = fences.merge(channelId, 1L, Long::sum);
        if (live(channelId).isPresent()) {
            return Optional.empty();
        }
        Holder h = new Holder(node, token);
        leases.put(channelId, new Entry(h.value(), time.now().plus(ttl)));
        return Optional.of(h);
    }

    @Override
    public synchronized Outcome renew(String channelId, String value, Duration ttl) throws ClusterStoreException {
        check();
        if (live(channelId).filter(e -> e.value().equals(value)).isEmpty()) {
            return Outcome.NOT_HOLDER;
        }
        leases.put(channelId, new Entry(value, time.now().plus(ttl)));
        return Outcome.DONE;
    }

    @Override
    public synchronized Outcome release(String channelId, String value) throws ClusterStoreException {
        check();
        if (live(channelId).filter(e -> e.value().equals(value)).isEmpty()) {
            return Outcome.NOT_HOLDER;
        }
        leases.remove(channelId);
        return Outcome.DONE;
    }

    @Override
    public Optional<Holder> holder(String channelId) throws ClusterStoreException {
        holderReads.incrementAndGet();
        CountDownLatch gate = holderGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterStoreException("interrupted", e);
            }
        }
        synchronized (this) {
            check();
            return live(channelId).flatMap(e -> Holder.parse(e.value()));
        }
    }

    @Override
    public synchronized List<LeaseEntry> leases() throws ClusterStoreException {
        check();
        List<LeaseEntry> out = new ArrayList<>();
        for (String id : List.copyOf(leases.keySet())) {
            live(id).ifPresent(e -> out.add(new LeaseEntry(id, Holder.parse(e.value()).orElseThrow(),
                    time.now().until(e.expires()))));
        }
        return out;
    }

    @Override
    public synchronized void publish(NodeReport report, Duration expiry) throws ClusterStoreException {
        check();
        nodes.put(report.id(), report);
        nodeExpiry.put(report.id(), time.now().plus(expiry));
    }

    @Override
    public synchronized void withdraw(String node) throws ClusterStoreException {
        check();
        nodes.remove(node);
    }

    @Override
    public synchronized List<NodeReport> nodes() throws ClusterStoreException {
        check();
        nodes.keySet().removeIf(id -> !time.now().isBefore(nodeExpiry.get(id)));
        return List.copyOf(nodes.values());
    }

    @Override
    public synchronized String sharedSecret(String candidate) throws ClusterStoreException {
        check();
        if (secret == null) {
            secret = candidate;
        }
        return secret;
    }

    @Override
    public long publishChange(String node, List<SharedItem> items, long floor) throws ClusterStoreException {
        SharedChange change;
        synchronized (this) {
            check();
            configSeq = Math.max(configSeq + 1, floor);
            change = new SharedChange(configSeq, node, items);
            change.versioned().forEach(v -> config.put(v.item().id(), v));
        }
        if (!muted) {
            subscribers.forEach(s -> s.accept(change));
        }
        return change.seq();
    }

    @Override
    public synchronized long changeSeq() throws ClusterStoreException {
        check();
        return configSeq;
    }

    @Override
    public synchronized List<SharedItem.Versioned> sharedItems() throws ClusterStoreException {
        check();
        return List.copyOf(config.values());
    }

    @Override
    public synchronized void subscribeChanges(Consumer<SharedChange> listener) throws ClusterStoreException {
        check();
        subscribers.add(listener);
    }

    private final Map<String, HandoverOffer> handovers = new LinkedHashMap<>();

    @Override
    public synchronized void offerHandover(String channelId, String from, String to, Duration expiry)
            throws ClusterStoreException {
        check();
        handovers.put(channelId, new HandoverOffer(channelId, from, to, HandoverOffer.OFFERED));
    }

    @Override
    public synchronized List<HandoverOffer> handoversTo(String node) throws ClusterStoreException {
        check();
        return handovers.values().stream().filter(o -> o.to().equals(node)).toList();
    }

    @Override
    public synchronized Optional<HandoverOffer> handover(String channelId) throws ClusterStoreException {
        check();
        return Optional.ofNullable(handovers.get(channelId));
    }

    @Override
    public synchronized void handoverState(String channelId, String to, String state) throws ClusterStoreException {
        check();
        handovers.computeIfPresent(channelId, (id, o) -> o.to().equals(to)
                ? new HandoverOffer(id, o.from(), to, state) : o);
    }

    @Override
    public synchronized void endHandover(String channelId) throws ClusterStoreException {
        check();
        handovers.remove(channelId);
    }

    @Override
    public synchronized Optional<StoredPlaylist> playlist(String channelId) throws ClusterStoreException {
        check();
        Playlist p = playlists.get(channelId);
        if (p == null || !time.now().isBefore(p.expires())) {
            playlists.remove(channelId);
            return Optional.empty();
        }
        return Optional.of(new StoredPlaylist(p.state(), p.written().until(time.now())));
    }

    @Override
    public synchronized Outcome recordPlaylist(String channelId, String leaseValue, PlaylistState state,
            Duration expiry) throws ClusterStoreException {
        check();
        playlistWrites++;
        if (live(channelId).filter(e -> e.value().equals(leaseValue)).isEmpty()) {
            return Outcome.NOT_HOLDER;
        }
        Optional<PlaylistState> kept = playlist(channelId).map(StoredPlaylist::state);
        PlaylistState written = new PlaylistState(state.node(), state.token(),
                Math.max(state.nextSequence(), kept.map(PlaylistState::nextSequence).orElse(0L)),
                Math.max(state.discontinuitySequence(), kept.map(PlaylistState::discontinuitySequence).orElse(0L)),
                state.recent().isEmpty() ? kept.map(PlaylistState::recent).orElse(List.of()) : state.recent(),
                state.live());
        playlists.put(channelId, new Playlist(written, time.now(), time.now().plus(expiry)));
        return Outcome.DONE;
    }

    private Map<String, Moment> tally(String channelId) {
        Map<String, Moment> t = sessions.computeIfAbsent(channelId, c -> new HashMap<>());
        t.values().removeIf(expires -> !time.now().isBefore(expires));
        return t;
    }

    @Override
    public synchronized boolean reserveSession(String channelId, String member, int limit, Duration ttl)
            throws ClusterStoreException {
        check();
        Map<String, Moment> t = tally(channelId);
        if (!t.containsKey(member) && limit > 0 && t.size() >= limit) {
            return false;
        }
        t.put(member, time.now().plus(ttl));
        return true;
    }

    @Override
    public synchronized void renewSessions(String channelId, List<String> members, Duration ttl)
            throws ClusterStoreException {
        check();
        Map<String, Moment> t = tally(channelId);
        members.forEach(m -> t.put(m, time.now().plus(ttl)));
    }

    @Override
    public synchronized void releaseSession(String channelId, String member) throws ClusterStoreException {
        check();
        tally(channelId).remove(member);
    }

    @Override
    public synchronized Map<String, Integer> sessionCounts(List<String> channelIds) throws ClusterStoreException {
        check();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String c : channelIds) {
            int n = tally(c).size();
            if (n > 0) {
                out.put(c, n);
            }
        }
        return out;
    }

    /** Redis restarted without persistence: every key gone. */

    public synchronized int appendEvents(String node, List<NodeEvent> added) throws ClusterStoreException {
        check();
        int n = 0;
        for (NodeEvent e : added) {
            if (e.sequence() > appended.getOrDefault(node, 0L)) {
                events.add(new EventEntry(new StreamId(++lastEventMillis, 0), node, e));
                appended.put(node, e.sequence());
                n++;
            }
        }
        while (events.size() > eventStreamLength) {
            events.removeFirst();
        }
        return n;
    }

    @Override
    public synchronized long eventsAppended(String node) throws ClusterStoreException {
        check();
        return appended.getOrDefault(node, 0L);
    }

    @Override
    public synchronized void forgetEventsAppended(String node) throws ClusterStoreException {
        check();
        appended.remove(node);
    }

    @Override
    public synchronized EventPage eventsAfter(StreamId id, int limit) throws ClusterStoreException {
        check();
        boolean kept = id.equals(StreamId.ZERO) || events.stream().anyMatch(e -> e.id().equals(id));
        return new EventPage(events.stream().filter(e -> e.id().compareTo(id) > 0).limit(limit).toList(), kept);
    }

    @Override
    public synchronized StreamId lastEventId() throws ClusterStoreException {
        check();
        return events.isEmpty() ? StreamId.ZERO : events.getLast().id();
    }

    /** Redis restarted without persistence: every key gone (new entry ids still grow, as Redis's follow its clock). */
    synchronized void wipe() {
        playlists.clear();
        leases.clear();
        fences.clear();
        nodes.clear();
        sessions.clear();
        secret = null;
        events.clear();
        appended.clear();
        configSeq = 0;
        config.clear();
    }

    /** Sets a lease as another node would hold it. */
    synchronized void hold(String channelId, String node, long token, Duration ttl) {
        leases.put(channelId, new Entry(node + ":" + token, time.now().plus(ttl)));
    }

    @Override
    public void close() {}
}
