package dev.headend.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Segments fetched from other nodes, keyed by channel and media sequence, so that each segment
 * crosses between two nodes once however many viewers of this node ask for it: the first request
 * fetches it, concurrent ones wait for that fetch. Bounded: the least recently used entries go
 * first. A failed fetch is not kept.
 */
public final class SegmentCache {
    /** How a missing segment is fetched. */
    @FunctionalInterface
    public interface Fetch {
        byte[] fetch() throws Exception;
    }

    private record Key(String channelId, long sequence) {}

    private final Map<Key, CompletableFuture<byte[]>> entries;

    public SegmentCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<byte[]>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The segment's bytes, fetched with {@code fetch} when no request fetched them yet. */
    public byte[] get(String channelId, long sequence, Fetch fetch) throws Exception {
        Key key = new Key(channelId, sequence);
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> existing;
        synchronized (entries) {
            existing = entries.putIfAbsent(key, mine);
        }
        if (existing != null) {
            try {
                return existing.join();
            } catch (RuntimeException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        try {
            byte[] bytes = fetch.fetch();
            mine.complete(bytes);
            return bytes;
        } catch (Exception e) {
            synchronized (entries) {
                entries.remove(key, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** How many segments are kept. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
