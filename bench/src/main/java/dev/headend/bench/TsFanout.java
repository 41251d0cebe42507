package dev.headend.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/**
 * Scenarios 5 and 6: N readers of the continuous stream {@code /live/{id}.ts}, each on its own
 * virtual thread and connection, reading as data arrives and checking the continuity counters.
 * Readers connect over one second, settle for one, then are measured for a window. A reader is
 * skipped when a continuity counter jumps (lost packets, or the server moved it to live), slow
 * when it received less than 90% of what the channel produced over the window (measured from
 * the segments the playlist dates inside the window). Optionally, extra connections request
 * the stream and never read, with a tiny receive buffer, so the server's writes to them block.
 */
final class TsFanout {
    private static final double MIN_SHARE = 0.9;
    private static final int STALLED_RECEIVE_BUFFER = 1024;
    /** The user agent of the connections that never read, as the sessions API shows it. */
    static final String STALLED_AGENT = "headend-bench-stalled";

    /** One run's outcome. Throughput in kbit/s; gaps are the times between consecutive reads with data. */
    record Run(int readers, List<String> problems, double channelKbps, Stats throughputKbps, Stats gapMs,
            CpuUse cpu, long rssKb) {
        boolean held() {
            return problems.isEmpty();
        }
    }

    private final ServerProcess server;
    private final Report report;
    private final String channel;
    private final String label;

    TsFanout(ServerProcess server, Report report, String channel, String label) {
        this.server = server;
        this.report = report;
        this.channel = channel;
        this.label = label;
    }

    /**
     * Scenario 5: raises N until a run fails (every step with {@code allSteps}); reports the
     * largest N held, the server's highest RSS over the steps and its RSS a minute after.
     */
    void ramp(List<Integer> steps, int seconds, boolean allSteps) throws IOException, InterruptedException {
        long limit = Load.clientLimit(server);
        Run held = null;
        Run highest = null;
        server.api().start(channel);
        try {
            for (int n : steps) {
                if (n > limit) {
                    report.note("TS readers: N=" + n + " not tried: the open-file limit (ulimit -n) allows " + limit
                            + " client connections");
                    break;
                }
                Run r = run(n, 0, seconds);
                if (highest == null || r.rssKb() > highest.rssKb()) {
                    highest = r;
                }
                if (!r.held()) {
                    report.note("TS readers: N=" + n + " failed: " + String.join("; ", r.problems()) + " (CPU "
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
                report.value("ts_server_rss_highest_mb", "TS readers: server RSS, highest over the steps (MB, at N="
                        + highest.readers() + ")", highest.rssKb() / 1024.0);
            }
            RssAfterLoad.measure(server, report, "ts", "TS readers");
        } finally {
            server.api().stop(channel);
        }
    }

    private void report(Run held, List<Integer> steps, int seconds) {
        String what = "Continuous TS readers, " + label + " (steps " + steps + ", " + seconds + " s each)";
        report.value("ts_readers_held", what + ": largest N held", held == null ? 0 : held.readers());
        if (held != null) {
            report.stats("ts_throughput_kbps", "TS readers at N held: throughput per reader (kbit/s; channel "
                    + Report.num(held.channelKbps()) + ")", held.throughputKbps());
            report.value("ts_cpu", "TS readers at N held: CPU", held.cpu());
            report.value("ts_server_rss_mb", "TS readers at N held: server RSS (MB)", held.rssKb() / 1024.0);
        }
    }

    /** Scenario 6: N readers alone, then with 10% more connections that never read. */
    void isolation(int n, int seconds) throws IOException, InterruptedException {
        server.api().start(channel);
        try {
            Run alone = run(n, 0, seconds);
            Run stalled = run(n, n / 10, seconds);
            String what = "Slow-consumer isolation, " + n + " TS readers: time between chunks (ms)";
            report.stats("isolation_gap_ms", what + ", no stalled reader", alone.gapMs());
            report.stats("isolation_gap_stalled_ms", what + ", " + n / 10 + " stalled readers", stalled.gapMs());
            report.value("isolation_healthy", "Slow-consumer isolation: healthy readers with " + n / 10
                    + " stalled ones", stalled.held() ? "all " + n + " kept up, none skipped"
                    : String.join("; ", stalled.problems()));
        } finally {
            server.api().stop(channel);
        }
    }

    private Run run(int n, int stalledCount, int seconds) throws IOException, InterruptedException {
        Api api = server.api();
        URI live = api.session(channel);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < stalledCount; i++) {
                stalled.add(stalledReader(server.port(), channel));
            }
            long start = System.nanoTime() + Load.SECOND / 5;
            long windowStart = start + 2 * Load.SECOND;
            long windowEnd = windowStart + seconds * Load.SECOND;
            Instant wallStart = Instant.now().plusNanos(windowStart - System.nanoTime());
            List<TsReader> readers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                readers.add(new TsReader(server.port(), channel,
                        start + Load.SECOND * i / n, windowStart, windowEnd, TsReader.Until.WINDOW_END));
            }
            ExecutorService exec = Load.start(readers);
            Load.sleepUntil(windowStart);
            CpuUse.Mark mark = CpuUse.mark(server.pid());
            Load.sleepUntil(windowEnd);
            CpuUse cpu = CpuUse.since(mark);
            long rss = server.rssKb();
            Instant wallEnd = Instant.now();
            Load.finish(exec, readers, Duration.ofSeconds(30));
            double channelKbps = producedKbps(api, live, wallStart, wallEnd);
            Run r = new Run(n, problems(readers, channelKbps, seconds), channelKbps,
                    Stats.of(readers.stream().map(x -> x.kbps(seconds)).toList()),
                    Stats.of(readers.stream().flatMap(x -> x.gapMs().stream()).toList()), cpu, rss);
            System.out.printf(Locale.ROOT, "  %d TS readers + %d stalled: %s; channel %.0f kbit/s, per reader %s;"
                    + " gaps ms %s; CPU %s; server RSS %d MB%n", n, stalledCount, r.held() ? "held"
                    : "FAILED " + r.problems(), channelKbps, r.throughputKbps(), r.gapMs(), cpu, rss / 1024);
            return r;
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    private static List<String> problems(List<TsReader> readers, double channelKbps, int seconds) {
        List<String> problems = new ArrayList<>();
        List<TsReader> failed = readers.stream().filter(r -> r.error() != null).toList();
        if (!failed.isEmpty()) {
            problems.add(failed.size() + " readers failed (first: " + failed.getFirst().error() + ")");
        }
        long skipped = readers.stream().filter(r -> r.jumps() > 0).count();
        if (skipped > 0) {
            problems.add(skipped + " readers skipped (continuity counter jumped)");
        }
        double min = MIN_SHARE * channelKbps;
        long slow = readers.stream().filter(r -> r.error() == null && r.kbps(seconds) < min).count();
        if (slow > 0) {
            problems.add(String.format(Locale.ROOT, "%d readers below %.0f kbit/s (%.0f%% of the channel)", slow, min,
                    MIN_SHARE * 100));
        }
        return problems;
    }

    /** What the channel produced over the window: bytes of the segments it started in the window, per second. */
    static double producedKbps(Api api, URI live, Instant from, Instant to)
            throws IOException, InterruptedException {
        List<Playlist.Entry> inWindow = api.playlist(live).entries().stream()
                .filter(e -> !e.programDateTime().isBefore(from) && !e.programDateTime().isAfter(to)).toList();
        if (inWindow.size() < 3) {
            throw new IllegalStateException("the channel started only " + inWindow.size() + " segments in the window");
        }
        long bytes = 0;
        for (Playlist.Entry e : inWindow.subList(0, inWindow.size() - 1)) {
            bytes += api.bytes(live.resolve(e.uri())).length;
        }
        Duration span = Duration.between(inWindow.getFirst().programDateTime(), inWindow.getLast().programDateTime());
        return bytes * 8 / 1000.0 / (span.toNanos() / 1e9);
    }

    /** A connection that asks for the continuous TS of {@code channel} and never reads it. */
    static Socket stalledReader(int port, String channel) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(STALLED_RECEIVE_BUFFER);
        s.connect(new InetSocketAddress("127.0.0.1", port), Load.TIMEOUT_MS);
        OutputStream out = s.getOutputStream();
        out.write(("GET /live/" + channel + ".ts HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUser-Agent: " + STALLED_AGENT + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
