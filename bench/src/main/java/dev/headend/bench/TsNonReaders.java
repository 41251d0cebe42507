package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Continuous-TS viewers of which some never read (issue 10): N connections to {@code
 * /live/{id}.ts}, M of them requesting the stream and never reading it (1 KB receive buffer,
 * left open), the others reading as data arrives. Over a window it reports the healthy readers'
 * delivered rate against the channel's (from the segments the playlist dates inside the window),
 * their continuity (a counter jump is a skip) and the time between chunks; then how long the
 * server took to end the non-readers' sessions (its ghost rule: a write that makes no progress
 * for 10 s closes the connection), as seen in {@code /api/sessions}. Finally it kicks every
 * healthy reader's session through {@code DELETE /api/sessions/{id}} and compares the server's
 * live heap (after a full GC, {@link ServerProcess#liveHeapBytes}) and RSS before any viewer,
 * with the sessions, and after the kicks: ended sessions must give their memory back.
 *
 * <p>The heap before is taken once the channel's window is full (the segment store no longer
 * grows) and after a few readers have come and gone (the continuous-TS code is loaded).
 */
final class TsNonReaders {
    private static final double MIN_SHARE = 0.9;
    private static final int WINDOW_SEGMENTS = 30;
    private static final int WARM_UP_READERS = 5;
    /** How long the non-readers may take to be ended, from their connection. */
    private static final Duration GHOST_BOUND = Duration.ofSeconds(120);

    private final ServerProcess server;
    private final Report report;
    private final String channel;
    private final String label;

    TsNonReaders(ServerProcess server, Report report, String channel, String label) {
        this.server = server;
        this.report = report;
        this.channel = channel;
        this.label = label;
    }

    void run(int total, int nonReaders, int seconds) throws IOException, InterruptedException {
        Api api = server.api();
        api.start(channel);
        List<Socket> stalled = new ArrayList<>();
        try {
            URI live = api.session(channel);
            api.awaitFullWindow(live, WINDOW_SEGMENTS, Duration.ofSeconds(WINDOW_SEGMENTS * 3L));
            warmUp(api);
            ServerProcess.LiveHeap heapBefore = server.liveHeap();
            long rssBefore = server.rssKb();

            for (int i = 0; i < nonReaders; i++) {
                stalled.add(TsFanout.stalledReader(server.port(), channel));
            }
            Ghosts ghosts = new Ghosts(api, nonReaders);
            int healthy = total - nonReaders;
            long start = System.nanoTime() + Load.SECOND / 5;
            long windowStart = start + 2 * Load.SECOND;
            long windowEnd = windowStart + seconds * Load.SECOND;
            List<TsReader> readers = new ArrayList<>(healthy);
            for (int i = 0; i < healthy; i++) {
                readers.add(new TsReader(server.port(), channel,
                        start + Load.SECOND * i / healthy, windowStart, windowEnd, TsReader.Until.SERVER_CLOSES));
            }
            ExecutorService exec = Load.start(readers);
            Load.sleepUntil(windowStart);
            Instant wallStart = Instant.now();
            CpuUse.Mark mark = CpuUse.mark(server.pid());
            Load.sleepUntil(windowEnd);
            CpuUse cpu = CpuUse.since(mark);
            Instant wallEnd = Instant.now();
            int stalledAtWindowEnd = ghosts.open();
            double channelKbps = TsFanout.producedKbps(api, live, wallStart, wallEnd);
            String verdict = healthyVerdict(readers, channelKbps, seconds); // before the kicks end them
            List<Double> ghostSeconds = ghosts.await();

            ServerProcess.LiveHeap heapWith = server.liveHeap();
            long rssWith = server.rssKb();
            long kickedAt = System.nanoTime();
            int kicked = api.kickAll(channel, "ts");
            Load.finish(exec, readers, Duration.ofSeconds(30));
            double closedMs = Load.msSince(kickedAt);
            int left = (int) count(api.sessions(channel), "ts");
            ServerProcess.LiveHeap heapAfter = server.liveHeap();
            long rssAfter = server.rssKb();

            String what = "TS, " + healthy + " readers + " + nonReaders + " that never read (" + label + ", "
                    + seconds + " s)";
            Stats kbps = Stats.of(readers.stream().map(r -> r.kbps(seconds)).toList());
            report.stats("nonreaders_kbps", what + ": delivered per healthy reader (kbit/s; channel "
                    + Report.num(channelKbps) + ")", kbps);
            report.stats("nonreaders_gap_ms", what + ": time between chunks, healthy readers (ms)",
                    Stats.of(readers.stream().flatMap(r -> r.gapMs().stream()).toList()));
            report.value("nonreaders_healthy", what + ": healthy readers", verdict);
            report.value("nonreaders_cpu", what + ": CPU", cpu);
            Stats ghostStats = Stats.of(ghostSeconds);
            report.value("nonreaders_ghost_s", what + ": non-readers' sessions ended by the ghost rule, s after they"
                    + " connected (first-last)", ghostSeconds.size() + " of " + nonReaders + ", "
                    + Report.num(ghostStats.min()) + "-" + Report.num(ghostStats.max()) + " s; "
                    + stalledAtWindowEnd + " still open at the window's end");
            report.value("nonreaders_kick", what + ": kicked the healthy readers' sessions",
                    kicked + " kicked, every connection closed " + Report.num(closedMs) + " ms after the first"
                            + " kick; " + left + " TS sessions left");
            report.value("nonreaders_heap_mb", what + ": server live heap after full GC, before viewers / with "
                    + healthy + " sessions / after the kicks (MB)", mb(heapBefore.bytes()) + " / "
                    + mb(heapWith.bytes()) + " / " + mb(heapAfter.bytes()));
            report.value("nonreaders_session_objects", what + ": ViewerSession objects in the live heap, before / with"
                    + " / after the kicks (one is the HLS session reading the playlist)",
                    heapBefore.of(ServerProcess.SESSION_CLASS) + " / " + heapWith.of(ServerProcess.SESSION_CLASS)
                            + " / " + heapAfter.of(ServerProcess.SESSION_CLASS));
            report.value("nonreaders_rss_mb", what + ": server RSS, before viewers / with " + healthy
                    + " sessions / after the kicks (MB)", mb(rssBefore * 1024) + " / " + mb(rssWith * 1024) + " / "
                    + mb(rssAfter * 1024));
            report.note(what + ": what the live heap kept after the kicks, most grown classes since before the"
                    + " viewers: " + String.join(", ", heapAfter.grownSince(heapBefore, 5)));
            if (ghostSeconds.size() < nonReaders) {
                throw new IllegalStateException("the non-readers' sessions did not all end within " + GHOST_BOUND);
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
            api.stop(channel);
        }
    }

    /** A few readers come and go, so that the heap before counts no class loading and no session. */
    private void warmUp(Api api) throws IOException, InterruptedException {
        long now = System.nanoTime();
        List<TsReader> few = new ArrayList<>();
        for (int i = 0; i < WARM_UP_READERS; i++) {
            few.add(new TsReader(server.port(), channel, now, now, now + Load.SECOND, TsReader.Until.SERVER_CLOSES));
        }
        Load.finish(Load.start(few), few, Duration.ofSeconds(3));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(api.sessions(channel), "ts") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private String healthyVerdict(List<TsReader> readers, double channelKbps, int seconds) {
        long failed = readers.stream().filter(r -> r.error() != null || r.ended()).count();
        long skipped = readers.stream().filter(r -> r.jumps() > 0).count();
        double minKbps = readers.stream().mapToDouble(r -> r.kbps(seconds)).min().orElse(0);
        long slow = readers.stream().filter(r -> r.kbps(seconds) < MIN_SHARE * channelKbps).count();
        return String.format(Locale.ROOT, "%s: %d failed, %d skipped, %d below %.0f%% of the channel; slowest %.0f%%"
                + " of the channel", failed + skipped + slow == 0 ? "all kept up" : "FAIL", failed, skipped, slow,
                MIN_SHARE * 100, minKbps / channelKbps * 100);
    }

    /**
     * Watches the non-readers' sessions in {@code /api/sessions} (every 250 ms, on its own
     * virtual thread) from their connection: when each appeared and when it was gone.
     */
    private final class Ghosts {
        private final Api api;
        private final int expected;
        private final long connected = System.nanoTime();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Map<String, Double> endedAfter = new ConcurrentHashMap<>();
        private volatile int open;
        private final Thread watcher;

        Ghosts(Api api, int expected) {
            this.api = api;
            this.expected = expected;
            this.watcher = Thread.ofVirtual().start(this::watch);
        }

        private void watch() {
            try {
                while (endedAfter.size() < expected && System.nanoTime() - connected < GHOST_BOUND.toNanos()) {
                    Set<String> now = new HashSet<>();
                    for (JsonNode s : api.sessions(channel)) {
                        if (s.path("user_agent").asText().equals(TsFanout.STALLED_AGENT)) {
                            now.add(s.path("id").asText());
                        }
                    }
                    seen.addAll(now);
                    double after = (System.nanoTime() - connected) / 1e9;
                    seen.stream().filter(id -> !now.contains(id)).forEach(id -> endedAfter.putIfAbsent(id, after));
                    open = now.size();
                    Thread.sleep(250);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Non-readers' sessions listed at the last look. */
        int open() {
            return open;
        }

        /** Waits until every non-reader's session ended or the bound passed; seconds from connection to end of each. */
        List<Double> await() throws InterruptedException {
            watcher.join();
            return List.copyOf(endedAfter.values());
        }
    }

    static long count(List<JsonNode> sessions, String protocol) {
        long n = 0;
        for (JsonNode s : sessions) {
            n += s.path("protocol").asText().equals(protocol) ? 1 : 0;
        }
        return n;
    }

    private static String mb(long bytes) {
        return Report.num(bytes / 1024.0 / 1024.0);
    }
}
