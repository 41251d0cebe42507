package dev.headend.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 8: the server's resident memory idle and with running channels, checking that each
 * running channel has exactly one FFmpeg process, and memory per 1,000 HLS sessions: the live
 * heap they take (measured here) and the RSS growth under load (from scenario 4).
 */
final class Footprint {
    private static final int HEAP_SESSIONS = 2_000;

    private final ServerProcess server;
    private final Report report;

    Footprint(ServerProcess server, Report report) {
        this.server = server;
        this.report = report;
    }

    void idle() {
        report.value("rss_idle_mb", "Footprint: server RSS, idle, no stream (MB)", server.rssKb() / 1024.0);
    }

    void channels(List<String> ids) throws IOException, InterruptedException {
        Api api = server.api();
        try {
            each(ids, api::start);
            List<Long> pids = server.pipelines();
            int running = api.json("/api/streams").path("count").asInt();
            long ffmpegKb = pids.stream().mapToLong(Proc::rssKb).sum();
            String n = ids.size() + " channels (" + String.join(", ", ids.getFirst(), "...", ids.getLast()) + ")";
            report.value("rss_channels_mb", "Footprint: server RSS with " + n + " running (MB)",
                    server.rssKb() / 1024.0);
            report.value("ffmpeg_rss_channels_mb", "Footprint: FFmpeg RSS, sum over the " + ids.size()
                    + " pipelines (MB)", ffmpegKb / 1024.0);
            boolean pass = pids.size() == running && running == ids.size();
            report.value("ffmpeg_per_channel", "Footprint: FFmpeg processes == running channels",
                    (pass ? "PASS" : "FAIL") + " (" + pids.size() + " processes, " + running + " running)");
            sessionHeap(ids.getFirst());
        } finally {
            each(ids, api::stop);
        }
    }

    /**
     * Live heap per HLS session, without load: the server's heap after a full GC before and
     * after opening sessions (each a first playlist request, answered with a redirect).
     */
    private void sessionHeap(String channel) throws IOException, InterruptedException {
        long before = server.liveHeapBytes();
        try (HttpConn conn = new HttpConn(server.port(), Load.TIMEOUT_MS)) {
            for (int i = 0; i < HEAP_SESSIONS; i++) {
                int status = conn.get("/live/" + channel + "/index.m3u8", false).status();
                if (status != 302) {
                    throw new IllegalStateException("opening a session: HTTP " + status);
                }
            }
        }
        long after = server.liveHeapBytes();
        report.value("heap_per_1000_sessions_kb", "Footprint: live heap per 1,000 HLS sessions (KB, after full GC)",
                (after - before) / 1024.0 * 1000 / HEAP_SESSIONS);
    }

    void sessions(HlsViewers.Round held) {
        if (held == null) {
            report.note("Footprint: no memory per 1,000 sessions, as no HLS viewer step held");
            return;
        }
        report.value("rss_per_1000_sessions_mb", "Footprint: server RSS growth per 1,000 HLS sessions under load (MB, at N="
                + held.viewers() + ")", held.kbPerSession() * 1000 / 1024);
    }

    /** Calls the action for every id in parallel and waits for all. */
    private static void each(List<String> ids, Action action) throws IOException, InterruptedException {
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> calls = new ArrayList<>();
            for (String id : ids) {
                calls.add(exec.submit(() -> {
                    action.run(id);
                    return null;
                }));
            }
            for (Future<Object> f : calls) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private interface Action {
        void run(String id) throws IOException, InterruptedException;
    }
}
