package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/**
 * Scenario 4: N HLS viewers, each on its own virtual thread and keep-alive connection in this
 * process, behaving like a live player: request the playlist (follow the redirect once and keep
 * the tokenized URL), reload it every target duration, fetch every new segment it lists, from
 * the newest one at joining. Joins are spread over one target duration. A step holds when no
 * viewer failed, missed a segment (listed but not fetched, or a gap in the sequence numbers it
 * saw) or ended more than two segments behind live, and p99 segment latency is at most 1 s. N
 * rises until a step fails.
 */
final class HlsViewers {
    private static final double MAX_P99_MS = 1_000;
    private static final int MAX_BEHIND = 2;

    /** One step's outcome; memory per session is the server's RSS growth over the step divided by N. */
    record Round(int viewers, List<String> problems, Stats segmentMs, Stats playlistMs, CpuUse cpu,
            long rssBeforeKb, long rssAfterKb) {
        boolean held() {
            return problems.isEmpty();
        }

        double kbPerSession() {
            return (rssAfterKb - rssBeforeKb) / (double) viewers;
        }
    }

    private final ServerProcess server;
    private final Report report;
    private final String channel;
    private final String label;

    HlsViewers(ServerProcess server, Report report, String channel, String label) {
        this.server = server;
        this.report = report;
        this.channel = channel;
        this.label = label;
    }

    /**
     * Runs the steps until one fails (every step with {@code allSteps}); reports the largest step
     * held, the server's highest RSS over the steps and its RSS a minute after; returns the largest
     * step held, or null.
     */
    Round ramp(List<Integer> steps, int seconds, boolean allSteps) throws IOException, InterruptedException {
        Api api = server.api();
        api.start(channel);
        try {
            long limit = Load.clientLimit(server);
            Round held = null;
            Round highest = null;
            for (int n : steps) {
                if (n > limit) {
                    report.note("HLS viewers: N=" + n + " not tried: the open-file limit (ulimit -n) allows "
                            + limit + " client connections");
                    break;
                }
                Round r = round(api, n, seconds);
                System.out.printf(Locale.ROOT, "  %d viewers: %s; segment ms %s; playlist ms %s; CPU %s; server RSS"
                        + " %d MB%n", n, r.held() ? "held" : "FAILED " + r.problems(), r.segmentMs(),
                        r.playlistMs(), r.cpu(), r.rssAfterKb() / 1024);
                if (highest == null || r.rssAfterKb() > highest.rssAfterKb()) {
                    highest = r;
                }
                if (!r.held()) {
                    report.note("HLS viewers: N=" + n + " failed: " + String.join("; ", r.problems()) + " (CPU "
                            + r.cpu() + ")");
                    if (!allSteps) {
                        break;
                    }
                } else {
                    held = r;
                }
            }
            report(held, steps, seconds);
            if (highest != null) {
                report.value("hls_server_rss_highest_mb", "HLS viewers: server RSS, highest over the steps (MB, at N="
                        + highest.viewers() + ")", highest.rssAfterKb() / 1024.0);
            }
            RssAfterLoad.measure(server, report, "hls", "HLS viewers");
            return held;
        } finally {
            api.stop(channel);
        }
    }

    private void report(Round held, List<Integer> steps, int seconds) {
        String what = "HLS viewers, " + label + " (steps " + steps + ", " + seconds + " s each)";
        report.value("hls_viewers_held", what + ": largest N held", held == null ? 0 : held.viewers());
        if (held == null) {
            return;
        }
        report.stats("hls_segment_ms", "HLS viewers at N held: segment fetch latency (ms)", held.segmentMs());
        report.stats("hls_playlist_ms", "HLS viewers at N held: playlist reload latency (ms)", held.playlistMs());
        report.value("hls_cpu", "HLS viewers at N held: CPU", held.cpu());
        report.value("hls_server_rss_mb", "HLS viewers at N held: server RSS (MB)", held.rssAfterKb() / 1024.0);
        report.value("hls_kb_per_session", "HLS viewers at N held: memory per session (KB, RSS growth / N)",
                held.kbPerSession());
    }

    private Round round(Api api, int n, int seconds) throws IOException, InterruptedException {
        URI live = api.session(channel);
        long rssBefore = server.rssKb();
        long start = System.nanoTime() + Load.SECOND / 5;
        long end = start + Load.SECOND * (1 + seconds);
        List<Viewer> viewers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            viewers.add(new Viewer(start + Load.SECOND * i / n, end));
        }
        ExecutorService exec = Load.start(viewers);
        Load.sleepUntil(start + Load.SECOND);
        CpuUse.Mark mark = CpuUse.mark(server.pid());
        Load.sleepUntil(end);
        CpuUse cpu = CpuUse.since(mark);
        long rssAfter = server.rssKb();
        long newest = api.playlist(live).newest().sequence();
        Load.finish(exec, viewers, Duration.ofSeconds(30));
        Stats segments = Stats.of(viewers.stream().flatMap(v -> v.segmentMs.stream()).toList());
        return new Round(n, problems(viewers, newest, segments), segments,
                Stats.of(viewers.stream().flatMap(v -> v.playlistMs.stream()).toList()), cpu, rssBefore,
                rssAfter);
    }

    private static List<String> problems(List<Viewer> viewers, long newest, Stats segments) {
        List<String> problems = new ArrayList<>();
        List<Viewer> failed = viewers.stream().filter(v -> v.error() != null).toList();
        if (!failed.isEmpty()) {
            problems.add(failed.size() + " viewers failed (first: " + failed.getFirst().error() + ")");
        }
        long missing = viewers.stream().filter(v -> v.missed > 0).count();
        if (missing > 0) {
            problems.add(missing + " viewers missed " + viewers.stream().mapToLong(v -> v.missed).sum() + " segments");
        }
        long behind = viewers.stream().filter(v -> v.error() == null && v.lastFetched < newest - MAX_BEHIND).count();
        if (behind > 0) {
            problems.add(behind + " viewers ended more than " + MAX_BEHIND + " segments behind live");
        }
        if (!(segments.p99() <= MAX_P99_MS)) {
            problems.add(String.format(Locale.ROOT, "p99 segment latency %.0f ms > %.0f ms", segments.p99(),
                    MAX_P99_MS));
        }
        return problems;
    }

    /** One simulated player. */
    private final class Viewer extends Load.Connected {
        private final long joinAt;
        private final long end;
        private final List<Double> segmentMs = new ArrayList<>();
        private final List<Double> playlistMs = new ArrayList<>();
        private long missed;
        private long lastFetched = -1;

        Viewer(long joinAt, long end) {
            super(server.port());
            this.joinAt = joinAt;
            this.end = end;
        }

        @Override
        void session() throws IOException, InterruptedException {
            Load.sleepUntil(joinAt);
            String dir = "/live/" + channel + "/";
            HttpConn.Response join = conn.get(dir + "index.m3u8", false);
            if (join.status() != 302 || join.location() == null) {
                throw new IOException("first playlist request: HTTP " + join.status());
            }
            URI playlist = URI.create(server.api().base() + dir + "index.m3u8").resolve(join.location());
            String path = playlist.getRawPath() + "?" + playlist.getRawQuery();
            long next = -1;
            for (long reload = joinAt; reload < end; reload += Load.SECOND) {
                Load.sleepUntil(reload);
                long t0 = System.nanoTime();
                HttpConn.Response r = conn.get(path, true);
                playlistMs.add(Load.msSince(t0));
                if (r.status() != 200) {
                    throw new IOException("playlist: HTTP " + r.status());
                }
                List<Playlist.Entry> entries = Playlist.parse(r.text()).entries();
                if (next < 0 && !entries.isEmpty()) {
                    next = entries.getLast().sequence();
                }
                for (Playlist.Entry e : entries) {
                    if (e.sequence() >= next) {
                        fetch(dir, e, next);
                        next = e.sequence() + 1;
                    }
                }
            }
        }

        private void fetch(String dir, Playlist.Entry e, long expected) throws IOException {
            missed += e.sequence() - expected;
            long t0 = System.nanoTime();
            HttpConn.Response s = conn.get(dir + e.uri(), false);
            if (s.status() == 200 && s.length() > 0) {
                segmentMs.add(Load.msSince(t0));
                lastFetched = e.sequence();
            } else {
                missed++;
            }
        }
    }
}
