package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: with an HLS viewer polling the playlist, SIGKILL the channel's FFmpeg and measure
 * the time until the playlist lists the restarted pipeline's first segment (a new sequence
 * number tagged EXT-X-DISCONTINUITY). Playback in a browser across a kill is not measured here.
 */
final class Recovery {
    private static final long POLL_MS = 50;
    private static final long LIMIT_SECONDS = 30;

    private final Api api;
    private final Report report;

    Recovery(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void run(String id, int kills) throws IOException, InterruptedException {
        api.start(id);
        try {
            URI viewer = api.session(id);
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < kills; i++) {
                long pid = api.json("/api/streams/" + id).path("pid").asLong(-1);
                ProcessHandle ffmpeg = ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalStateException("no live FFmpeg pid for " + id + ": " + pid));
                long before = api.playlist(viewer).newest().sequence();
                long t0 = System.nanoTime();
                ffmpeg.destroyForcibly();
                ms.add(awaitNewRun(viewer, before, t0));
            }
            int restarts = api.json("/api/streams/" + id).path("restarts").asInt();
            report.stats("recovery_ms", "Recovery after SIGKILL of FFmpeg: first new segment in the playlist (ms)",
                    Stats.of(ms));
            report.value("recovery_restarts", "Recovery: restarts counted by the server after " + kills + " kills",
                    restarts);
            report.note("Recovery is the plain pipeline restart (the restart/slate work has not landed); playback in"
                    + " a browser across a kill is not measured here (a Chromium test elsewhere covers it).");
        } finally {
            api.stop(id);
        }
    }

    private double awaitNewRun(URI viewer, long before, long t0) throws IOException, InterruptedException {
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(LIMIT_SECONDS)) {
            boolean restarted = api.playlist(viewer).entries().stream()
                    .anyMatch(e -> e.sequence() > before && e.discontinuity());
            if (restarted) {
                return Load.msSince(t0);
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("no segment of a restarted pipeline within " + LIMIT_SECONDS + " s");
    }
}
