package dev.headend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

/**
 * One HLS player: opens a session (waiting for the first playlist), then reloads its tokenized
 * playlist at a fixed interval until closed, and downloads every newly listed segment as a
 * player does (only segment requests keep a session alive). Downloads run asynchronously, so a
 * slow one never delays a reload. It keeps the status of every reload and every segment it has
 * ever seen listed, with the time it first saw it, so a test can inspect the whole history even
 * after segments have left the window.
 */
public final class HlsViewer implements AutoCloseable {
    /** A segment as first seen in a playlist. */
    public record Seen(LivePlaylist.Entry segment, Instant firstSeenAt) {}

    private final TestServer server;
    private final URI playlist;
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final NavigableMap<Long, Seen> history = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor();
    private final List<CompletableFuture<HttpResponse<Void>>> downloads = new CopyOnWriteArrayList<>();
    private volatile int targetDuration;

    public HlsViewer(TestServer server, String channelId, Duration every) {
        this.server = server;
        HttpResponse<String> first = server.openSession(channelId);
        this.playlist = first.uri();
        record(first);
        reloads.scheduleWithFixedDelay(this::reload, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reload() {
        try {
            record(server.send(HttpRequest.newBuilder(playlist).GET()));
        } catch (RuntimeException e) {
            statuses.add(-1);
        }
    }

    /** Reloads the playlist now, which must answer 200 (its new segments are downloaded as usual). */
    public LivePlaylist playlist() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(playlist).GET());
        record(response);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return LivePlaylist.parse(response.body());
    }

    /** HTTP status of every playlist request so far (-1 for a request that failed without an answer). */
    public List<Integer> statuses() {
        return List.copyOf(statuses);
    }

    /** Every segment seen so far, by media sequence number. */
    public NavigableMap<Long, Seen> history() {
        return new ConcurrentSkipListMap<>(history);
    }

    /**
     * Asserts that this viewer saw consecutive sequence numbers, exactly {@code switches}
     * discontinuities, all after segment {@code newestBefore}, and segments no longer than the
     * target duration (+0.5 s, as EXTINF may be rounded). A switch of pipelines that showed the
     * slate in between would add a second discontinuity per switch.
     */
    public void assertSeamlessSwitches(long newestBefore, int switches) {
        NavigableMap<Long, Seen> seen = history();
        assertThat(seen.keySet()).as("sequence numbers seen").containsExactlyElementsOf(
                LongStream.rangeClosed(seen.firstKey(), seen.lastKey()).boxed().toList());
        assertThat(seen.values()).as("segments seen").filteredOn(s -> s.segment().discontinuity())
                .hasSize(switches)
                .allMatch(s -> s.segment().sequence() > newestBefore);
        assertThat(seen.values()).extracting(s -> s.segment().duration())
                .allMatch(d -> d > 0 && d <= targetDuration + 0.5, "within (0, target duration + 0.5 s]");
    }

    /**
     * Whether this viewer has seen a pipeline switch after segment {@code newestBefore} and
     * {@code segmentsAfter} more segments after the switch's first: a test awaits this rather than
     * a number of segments, since the old pipeline keeps producing until the new one has a segment.
     */
    public boolean sawSwitchAfter(long newestBefore, int segmentsAfter) {
        return history.tailMap(newestBefore, false).values().stream()
                .filter(s -> s.segment().discontinuity())
                .findFirst()
                .map(s -> newest() >= s.segment().sequence() + segmentsAfter)
                .orElse(false);
    }

    /** The newest media sequence number seen so far. */
    public long newest() {
        return history.lastKey();
    }

    private void record(HttpResponse<String> response) {
        statuses.add(response.statusCode());
        if (response.statusCode() == 200) {
            Instant now = Instant.now();
            LivePlaylist p = LivePlaylist.parse(response.body());
            targetDuration = p.targetDuration();
            for (LivePlaylist.Entry s : p.segments()) {
                if (history.putIfAbsent(s.sequence(), new Seen(s, now)) == null) {
                    downloads.removeIf(CompletableFuture::isDone);
                    downloads.add(server.client().sendAsync(HttpRequest.newBuilder(playlist.resolve(s.uri())).GET()
                            .build(), HttpResponse.BodyHandlers.discarding()));
                }
            }
        }
    }

    @Override
    public void close() {
        // not shutdownNow: interrupting a reload in flight would record a failure the server never caused
        reloads.shutdown();
        try {
            if (!reloads.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("viewer did not stop");
            }
            // a download still running when the test's server stops would fail for no fault of the server
            CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("segment downloads did not finish", e);
        }
    }
}
