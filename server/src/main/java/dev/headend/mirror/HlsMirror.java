package dev.headend.mirror;

import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors every running stream's live HLS output into {@code root/{channel id}/} ({@code
 * index.m3u8} and its segments), checked on each {@link #tick} (the server ticks it every
 * {@link #PERIOD_MILLIS} ms, so a segment reaches the mirror within that of its close). A
 * stream that ends leaves its final playlist (with {@code EXT-X-ENDLIST}) until it is removed;
 * then its directory goes.
 *
 * <p>Invariants: the file work of a tick runs on the executor, never on the caller (the
 * scheduler's threads); one pass at a time (a tick while a pass runs is skipped); a failing
 * channel is logged once per distinct error, and the others go on; after {@link #stop} no file
 * is written and no mirrored directory is left.
 */
public final class HlsMirror {
    public static final long PERIOD_MILLIS = 100;
    private static final Logger log = LoggerFactory.getLogger(HlsMirror.class);

    private final Path root;
    private final StreamManager streams;
    private final Executor executor;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Guarded by {@code this}. */
    private final Map<String, ChannelMirror> mirrors = new HashMap<>();
    private final Map<String, String> lastError = new HashMap<>();
    private boolean stopped;

    public HlsMirror(Path root, StreamManager streams, Executor executor) {
        this.root = root;
        this.streams = streams;
        this.executor = executor;
    }

    /** Starts a pass on the executor unless one is running. */
    public void tick() {
        if (running.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    pass();
                } finally {
                    running.set(false);
                }
            });
        }
    }

    /** Deletes these channels' directories (what an earlier run left is stale) and makes the root. */
    public synchronized void clear(Collection<String> channelIds) throws IOException {
        for (String id : channelIds) {
            ChannelMirror.delete(root.resolve(id));
        }
        Files.createDirectories(root);
    }

    /** Stops mirroring and deletes every mirrored directory, so no web server serves a stale stream. */
    public synchronized void stop() throws IOException {
        stopped = true;
        for (ChannelMirror m : mirrors.values()) {
            m.remove();
        }
        mirrors.clear();
    }

    /** Brings every mirror up to date now, on the calling thread. */
    public synchronized void pass() {
        if (stopped) {
            return;
        }
        Map<String, LiveStream> live = streams.all().stream()
                .collect(Collectors.toMap(LiveStream::id, s -> s, (a, b) -> b));
        for (LiveStream stream : live.values()) {
            String id = stream.id();
            try {
                ChannelMirror m = mirrors.get(id);
                if (m == null || m.stream() != stream) {
                    m = ChannelMirror.open(stream, root.resolve(id));
                    mirrors.put(id, m);
                }
                m.sync();
                lastError.remove(id);
            } catch (IOException | RuntimeException e) {
                failed(id, e);
            }
        }
        for (String id : Set.copyOf(mirrors.keySet())) {
            if (!live.containsKey(id)) {
                try {
                    mirrors.remove(id).remove();
                    lastError.remove(id);
                } catch (IOException e) {
                    failed(id, e);
                }
            }
        }
    }

    private void failed(String id, Exception e) {
        String message = e.toString();
        if (!Objects.equals(lastError.put(id, message), message)) {
            log.warn("channel {}: HLS mirror in {} failed: {}", id, root.resolve(id), message);
        }
    }
}
