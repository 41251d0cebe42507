package dev.headend.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 10. M3U import: {@code POST /api/channels/import} of a generated playlist of 10,000
 * entries (ids, numbers, groups, logos, tokened URLs), as a dry run and for real, each run with
 * new ids (so each real run adds 10,000 channels; the scenario runs last).
 */
final class M3uImport {
    static final int ENTRIES = 10_000;

    private final Api api;
    private final Report report;

    M3uImport(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void run(int runs) throws IOException, InterruptedException {
        List<Double> dry = new ArrayList<>();
        List<Double> real = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            byte[] playlist = playlist("run" + i);
            dry.add(timed(playlist, "?dry_run=true", 200));
            real.add(timed(playlist, "", 201));
        }
        report.stats("m3u_import_dry_run", "M3U import, 10,000 entries, dry run: answer (ms)", Stats.of(dry));
        report.stats("m3u_import", "M3U import, 10,000 entries, stored and applied: answer (ms)", Stats.of(real));
    }

    private double timed(byte[] playlist, String query, int status) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> r = api.post("/api/channels/import" + query, "audio/x-mpegurl", playlist);
        double ms = Load.msSince(t0);
        if (r.statusCode() != status) {
            throw new IllegalStateException("import" + query + ": HTTP " + r.statusCode() + " "
                    + r.body().substring(0, Math.min(300, r.body().length())));
        }
        return ms;
    }

    static byte[] playlist(String prefix) {
        StringBuilder m3u = new StringBuilder("#EXTM3U\n");
        for (int i = 0; i < ENTRIES; i++) {
            m3u.append("#EXTINF:-1 tvg-id=\"").append(prefix).append('.').append(i).append(".example\" tvg-name=\"")
                    .append("Channel ").append(i).append("\" tvg-logo=\"https://img.example/").append(i)
                    .append(".png\" tvg-chno=\"").append(i + 1).append("\" group-title=\"Group ").append(i % 20)
                    .append("\",Channel ").append(i).append('\n')
                    .append("http://streams.example:8080/live/").append(i).append(".ts?token=t").append(i).append('\n');
        }
        return m3u.toString().getBytes(StandardCharsets.UTF_8);
    }
}
