package dev.headend.cluster;

import dev.headend.support.ManualTime;
import dev.headend.time.Moment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster store in memory, on a manual clock, as Redis keeps it; it can be made unreachable. */
final class MemoryClusterStore implements ClusterStore {
    private record Entry(String value, Moment expires) {}

    private final ManualTime time;
    private final Map<String, Entry> leases = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final Map<String, NodeReport> nodes = new LinkedHashMap<>();
    private final Map<String, Moment> nodeExpiry = new HashMap<>();
    private String secret;
    private final List<EventEntry> events = new ArrayList<>();
    private final Map<String, Long> appended = new HashMap<>();
    private long lastEventMillis = 1_764_680_000_000L;
    /** Entries the stream keeps (exactly; Redis trims approximately). */
    int eventStreamLength = EVENT_STREAM_LENGTH;
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
        leases.clear();
        fences.clear();
        nodes.clear();
        secret = null;
        events.clear();
        appended.clear();
    }

    /** Sets a lease as another node would hold it. */
    synchronized void hold(String channelId, String node, long token, Duration ttl) {
        leases.put(channelId, new Entry(node + ":" + token, time.now().plus(ttl)));
    }

    @Override
    public void close() {}
}
