package dev.headend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * An HLS player without a decoder, as one session: reloads its tokenized playlist every
 * interval and fetches every newly listed segment once. Any answer other than 200, or an I/O
 * error, is a viewer error. Keeps every playlist it read and, per segment, whether a
 * discontinuity preceded it and which encode starts in it, to judge the stream afterwards.
 * Polls are serialized, so the recorded playlists are in the order the server wrote them.
 */
public final class HlsPoller implements AutoCloseable {
    /** A segment as seen: its number, whether EXT-X-DISCONTINUITY preceded it, the encode that starts in it. */
    public record Seen(long sequence, boolean discontinuity, Optional<SegmentOrigin> encodeStart) {}

    private final TestServer server;
    private final URI playlist;
    private final List<LivePlaylist> polls = new ArrayList<>();
    private final NavigableMap<Long, Seen> segments = new TreeMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reloads =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

    private HlsPoller(TestServer server, URI playlist) {
        this.server = server;
        this.playlist = playlist;
    }

    /** Opens a session on the channel (starting it) and reloads every {@code interval} until closed. */
    public static HlsPoller open(TestServer server, String channelId, Duration interval) {
        HlsPoller poller = new HlsPoller(server, server.openSession(channelId).uri());
        poller.reloads.scheduleWithFixedDelay(poller::reload, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }

    /** A scheduled reload: an exception would silently end the schedule, so it is kept as an error instead. */
    private void reload() {
        try {
            poll();
        } catch (RuntimeException e) {
            errors.add("reload failed: " + e);
        }
    }

    /** Reloads the playlist now and fetches the segments it lists for the first time; empty on an error. */
    public synchronized Optional<LivePlaylist> poll() {
        Optional<HttpResponse<byte[]>> response = fetch(playlist);
        if (response.isEmpty()) {
            return Optional.empty();
        }
        LivePlaylist p = LivePlaylist.parse(new String(response.get().body(), StandardCharsets.UTF_8));
        polls.add(p);
        for (LivePlaylist.Entry e : p.segments()) {
            if (!segments.containsKey(e.sequence())) {
                fetch(playlist.resolve(e.uri())).ifPresent(s -> segments.put(e.sequence(),
                        new Seen(e.sequence(), e.discontinuity(), SegmentOrigin.encodeStartIn(s.body()))));
            }
        }
        return Optional.of(p);
    }

    /**
     * Every segment listed so far, by media sequence number, as its first listing showed it
     * (duration and date never change once listed).
     */
    public synchronized NavigableMap<Long, LivePlaylist.Entry> listed() {
        NavigableMap<Long, LivePlaylist.Entry> all = new TreeMap<>();
        for (LivePlaylist p : polls) {
            p.segments().forEach(e -> all.putIfAbsent(e.sequence(), e));
        }
        return all;
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public synchronized NavigableMap<Long, Seen> segments() {
        return new TreeMap<>(segments);
    }

    /**
     * Fails unless the media sequence never went back across polls, every playlist listed
     * consecutive numbers starting at its media sequence, and the segments seen have no gap.
     */
    public synchronized void assertSequenceNeverWentBack() {
        assertThat(polls).isNotEmpty();
        long previous = Long.MIN_VALUE;
        for (LivePlaylist p : polls) {
            assertThat(p.mediaSequence()).as("media sequence after %s", previous).isGreaterThanOrEqualTo(previous);
            previous = p.mediaSequence();
            assertThat(p.segments()).extracting(LivePlaylist.Entry::sequence).containsExactlyElementsOf(
                    LongStream.range(p.mediaSequence(), p.mediaSequence() + p.segments().size()).boxed().toList());
        }
        assertThat(segments.keySet()).containsExactlyElementsOf(
                LongStream.rangeClosed(segments.firstKey(), segments.lastKey()).boxed().toList());
    }

    /**
     * Fails unless every playlist's EXT-X-DISCONTINUITY-SEQUENCE equals the number of
     * discontinuity tags that left the window before it (for a channel's first stream, seen
     * from the first playlist on, which had none before it).
     */
    public synchronized void assertDiscontinuitySequenceCountsTagsThatLeftTheWindow() {
        assertThat(segments.firstKey()).as("first segment seen").isEqualTo(polls.getFirst().mediaSequence());
        assertThat(polls.getFirst().discontinuitySequence()).as("discontinuity sequence when joined").isZero();
        for (LivePlaylist p : polls) {
            long left = segments.headMap(p.mediaSequence()).values().stream().filter(Seen::discontinuity).count();
            assertThat(p.discontinuitySequence()).as("discontinuity sequence at media sequence %d",
                    p.mediaSequence()).isEqualTo(left);
        }
    }

    /**
     * The producer of each run of segments between two discontinuity tags, in order. Fails when
     * a run's first segment does not reveal its producer, or when an encode starts inside a run
     * (a producer switch without a discontinuity) other than the slate looping its own clip.
     */
    public synchronized List<SegmentOrigin> producers() {
        List<List<Seen>> runs = new ArrayList<>();
        for (Seen s : segments.values()) {
            if (runs.isEmpty() || s.discontinuity()) {
                runs.add(new ArrayList<>());
            }
            runs.getLast().add(s);
        }
        List<SegmentOrigin> producers = new ArrayList<>();
        for (List<Seen> run : runs) {
            SegmentOrigin producer = run.getFirst().encodeStart().or(() -> joinedLate(run))
                    .orElseThrow(() -> new AssertionError("no encode starts in segment " + run.getFirst().sequence()
                            + ", the first after a discontinuity; segments seen " + segments.values()));
            List<Seen> laterStarts = run.subList(1, run.size()).stream().filter(s -> s.encodeStart().isPresent())
                    .toList();
            assertThat(laterStarts).as("encodes starting inside the %s run from segment %d", producer,
                    run.getFirst().sequence()).allSatisfy(s -> {
                        assertThat(s.encodeStart()).hasValue(SegmentOrigin.SLATE);
                        assertThat(producer).isEqualTo(SegmentOrigin.SLATE);
                    });
            producers.add(producer);
        }
        return producers;
    }

    /**
     * The producer of the first run when the poller joined it after its encode started: on a
     * loaded machine the first playlist can come after the stream's first segments left the
     * window. A channel's first stream begins with its pipeline (the slate only fills restarts).
     */
    private Optional<SegmentOrigin> joinedLate(List<Seen> run) {
        boolean firstRunJoinedLate = run.getFirst().sequence() == segments.firstKey() && segments.firstKey() > 0
                && !run.getFirst().discontinuity();
        return firstRunJoinedLate ? Optional.of(SegmentOrigin.PIPELINE) : Optional.empty();
    }

    /** Segment numbers that carry a discontinuity, in order. */
    public synchronized List<Long> discontinuities() {
        return segments.values().stream().filter(Seen::discontinuity).map(Seen::sequence).toList();
    }

    private Optional<HttpResponse<byte[]>> fetch(URI uri) {
        try {
            HttpResponse<byte[]> r = server.client().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
                return Optional.of(r);
            }
            errors.add("GET " + uri + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            errors.add("GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        reloads.shutdown();
        try {
            assertThat(reloads.awaitTermination(15, TimeUnit.SECONDS)).as("poller stopped").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
