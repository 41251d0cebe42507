package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenarios 1 and 2. Cold start: the first playlist request of a stopped channel until a
 * playlist with a segment, and until that segment's bytes, for a test pattern and a copy
 * remux of a file. Warm start: start calls on a running channel, and playlist requests with a
 * session.
 */
final class StartLatency {
    private final Api api;
    private final Report report;

    StartLatency(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void cold(String id, String label, int runs) throws IOException, InterruptedException {
        List<Double> playlist = new ArrayList<>();
        List<Double> firstBytes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = api.get("/live/" + id + "/index.m3u8");
            double toPlaylist = Load.msSince(t0);
            if (r.statusCode() != 200 || !r.body().contains("#EXTINF")) {
                throw new IllegalStateException("cold start of " + id + " failed: " + r.statusCode() + " " + r.body());
            }
            byte[] segment = api.bytes(r.uri().resolve(Playlist.parse(r.body()).entries().getFirst().uri()));
            double toSegment = Load.msSince(t0);
            if (segment.length == 0) {
                throw new IllegalStateException("empty first segment of " + id);
            }
            playlist.add(toPlaylist);
            firstBytes.add(toSegment);
            api.stop(id);
        }
        report.stats("cold_start_" + id, "Cold start, " + label + ": playlist with a segment (ms)",
                Stats.of(playlist));
        report.stats("cold_first_segment_" + id, "Cold start, " + label + ": first segment's bytes (ms)",
                Stats.of(firstBytes));
    }

    void warm(String id, int calls) throws IOException, InterruptedException {
        api.start(id);
        try {
            List<Double> start = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = api.post("/api/streams/" + id + "/start");
                start.add(Load.msSince(t0));
                if (r.statusCode() != 200 || !r.body().contains("\"already_running\":true")) {
                    throw new IllegalStateException("warm start failed: " + r.body());
                }
            }
            report.stats("warm_start_call", "Warm start call, POST /api/streams/{id}/start (ms)", Stats.of(start));
            URI playlistUri = api.session(id);
            List<Double> playlist = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = api.get(playlistUri);
                playlist.add(Load.msSince(t0));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("warm playlist failed: " + r.statusCode());
                }
            }
            report.stats("warm_playlist", "Warm playlist request with a session (ms)", Stats.of(playlist));
        } finally {
            api.stop(id);
        }
    }
}
