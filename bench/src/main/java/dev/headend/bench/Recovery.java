package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: with an HLS viewer polling the playlist, SIGKILL a channel's FFmpeg and measure the
 * time until the playlist lists the first slate segment (the first EXT-X-DISCONTINUITY after the
 * kill) and the restarted pipeline's first segment (the next one). Each kill hits a different
 * channel that has run for a while, so every restart is a first restart (at once, as after a
 * healthy run) rather than one held by the cooldown. Playback in a browser across a kill is
 * covered by a Chromium test, not here.
 */
final class Recovery {
    private static final long POLL_MS = 20;
    private static final long LIMIT_SECONDS = 30;
    private static final int WARM_SEGMENTS = 3;

    private final Api api;
    private final Report report;

    Recovery(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void run(List<String> ids) throws IOException, InterruptedException {
        List<Double> slate = new ArrayList<>();
        List<Double> real = new ArrayList<>();
        int restarts = 0;
        for (String id : ids) {
            api.start(id);
            try {
                URI viewer = api.session(id);
                long first = api.playlist(viewer).newest().sequence();
                await(() -> api.playlist(viewer).newest().sequence() >= first + WARM_SEGMENTS, "warm-up of " + id);
                long pid = api.json("/api/streams/" + id).path("pid").asLong(-1);
                ProcessHandle ffmpeg = ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalStateException("no live FFmpeg pid for " + id + ": " + pid));
                long before = api.playlist(viewer).newest().sequence();
                long t0 = System.nanoTime();
                ffmpeg.destroyForcibly();
                long[] slateSeq = new long[1];
                await(() -> {
                    OptionalLong s = discontinuityAfter(viewer, before);
                    s.ifPresent(v -> slateSeq[0] = v);
                    return s.isPresent();
                }, "slate of " + id);
                slate.add(Load.msSince(t0));
                await(() -> discontinuityAfter(viewer, slateSeq[0]).isPresent(), "restart of " + id);
                real.add(Load.msSince(t0));
                restarts += api.json("/api/streams/" + id).path("restarts").asInt();
            } finally {
                api.stop(id);
            }
        }
        report.stats("recovery_slate_ms", "Recovery after SIGKILL of FFmpeg: first slate segment in the playlist (ms)",
                Stats.of(slate));
        report.stats("recovery_ms", "Recovery after SIGKILL of FFmpeg: first real segment again (ms)",
                Stats.of(real));
        report.value("recovery_restarts", "Recovery: restarts counted by the server after " + ids.size() + " kills",
                restarts);
        report.note("Recovery kills a different channel each time, so each restart is immediate (as after a run"
                + " healthy for 30 s); a second failure within the cooldown keeps the slate up to 30 s.");
    }

    /** Sequence of the first segment after {@code after} that starts with a discontinuity. */
    private OptionalLong discontinuityAfter(URI viewer, long after) throws IOException, InterruptedException {
        return api.playlist(viewer).entries().stream()
                .filter(e -> e.sequence() > after && e.discontinuity())
                .mapToLong(Playlist.Entry::sequence).findFirst();
    }

    private static void await(Check check, String what) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(LIMIT_SECONDS)) {
            if (check.done()) {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("no " + what + " within " + LIMIT_SECONDS + " s");
    }

    @FunctionalInterface
    private interface Check {
        boolean done() throws IOException, InterruptedException;
    }
}
