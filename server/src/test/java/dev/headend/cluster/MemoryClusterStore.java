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
import java.util.function.Consumer;

/** The cluster store in memory, on a manual clock, as Redis keeps it; it can be made unreachable. */
final class MemoryClusterStore implements ClusterStore {
    private record Entry(String value, Moment expires) {}

    private final ManualTime time;
    private final Map<String, Entry> leases = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final Map<String, NodeReport> nodes = new LinkedHashMap<>();
    private final Map<String, Moment> nodeExpiry = new HashMap<>();
    private String secret;
    private long configSeq;
    private final Map<String, SharedItem.Versioned> config = new LinkedHashMap<>();
    private final List<Consumer<SharedChange>> subscribers = new CopyOnWriteArrayList<>();
    /** While true, published changes are kept but not announced (subscribers disconnected). */
    boolean muted;
    boolean down;

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
    public synchronized Optional<Holder> holder(String channelId) throws ClusterStoreException {
        check();
        return live(channelId).flatMap(e -> Holder.parse(e.value()));
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
    public synchronized void offerHandover(String channelId, String from, String to,
            Optional<LocalStreams.Numbering> numbering, Duration expiry) throws ClusterStoreException {
        check();
        handovers.put(channelId, new HandoverOffer(channelId, from, to, HandoverOffer.OFFERED, numbering));
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
                ? new HandoverOffer(id, o.from(), to, state, o.numbering()) : o);
    }

    @Override
    public synchronized void endHandover(String channelId) throws ClusterStoreException {
        check();
        handovers.remove(channelId);
    }

    /** Redis restarted without persistence: every key gone. */
    synchronized void wipe() {
        leases.clear();
        fences.clear();
        nodes.clear();
        secret = null;
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
