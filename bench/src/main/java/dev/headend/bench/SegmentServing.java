package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: the same segment bytes served by Headend (from memory, with a session token, so
 * session tracking is on) and by nginx (a file, sendfile), loaded by wrk with identical
 * parameters under each of {@link Wrk.Setting#COMPARED}, alternating Headend and nginx round by
 * round.
 */
final class SegmentServing {
    /** A channel to serve segments of, with its nominal bitrate for the labels. */
    record Channel(String id, int kbps) {}

    private final Api api;
    private final Report report;

    SegmentServing(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    void run(List<Channel> channels, int rounds, int seconds) throws IOException, InterruptedException {
        try (Nginx nginx = Nginx.start()) {
            for (Channel c : channels) {
                api.start(c.id());
                try {
                    for (Wrk.Setting load : Wrk.Setting.COMPARED) {
                        compare(nginx, c, load, rounds, seconds);
                    }
                } finally {
                    api.stop(c.id());
                }
            }
        }
    }

    private void compare(Nginx nginx, Channel c, Wrk.Setting load, int rounds, int seconds)
            throws IOException, InterruptedException {
        URI segment = fullSegment(c.id());
        byte[] body = api.bytes(segment);
        String copy = nginx.publish(c.id() + ".ts", body);
        List<Wrk> headend = new ArrayList<>();
        List<Wrk> reference = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            headend.add(Wrk.run(segment.toString(), seconds, load).withoutErrors());
            reference.add(Wrk.run(copy, seconds, load).withoutErrors());
            System.out.printf(Locale.ROOT, "  %s, %s, round %d: Headend %.0f req/s p99 %.1f ms, nginx %.0f req/s"
                    + " p99 %.1f ms%n", c.id(), load, i + 1, headend.getLast().requestsPerSecond(),
                    headend.getLast().p99Ms(), reference.getLast().requestsPerSecond(), reference.getLast().p99Ms());
        }
        String what = String.format(Locale.ROOT, "Segment GET, %d Mbit/s channel (%d KB, %s, %d x %d s)",
                c.kbps() / 1000, body.length / 1024, load, rounds, seconds);
        String key = "segments_" + c.id() + "_t" + load.threads() + "c" + load.connections();
        double h = summarize(key + "_headend", what + ", Headend", headend);
        double n = summarize(key + "_nginx", what + ", nginx", reference);
        report.value(key + "_ratio", what + ": Headend/nginx requests/s", h / n);
    }

    /**
     * A full-length segment of the running channel, with its session token: the newest once the
     * playlist has three (the first segment of a run is cut early, so it is shorter). With the
     * 30-segment window it stays fetchable for about a minute, longer than all rounds take.
     */
    private URI fullSegment(String id) throws IOException, InterruptedException {
        URI session = api.session(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Playlist p = api.playlist(session);
            if (p.entries().size() >= 3) {
                return session.resolve(p.newest().uri());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(id + " did not produce three segments within 20 s");
    }

    /** Reports the medians over the rounds; returns the median requests/s. */
    private double summarize(String key, String label, List<Wrk> runs) {
        double rps = Stats.of(runs.stream().map(Wrk::requestsPerSecond).toList()).median();
        report.value(key + "_rps", label + ": requests/s", rps);
        report.latency(key + "_latency", label + ": latency (ms)",
                Stats.of(runs.stream().map(Wrk::p50Ms).toList()).median(),
                Stats.of(runs.stream().map(Wrk::p99Ms).toList()).median(),
                runs.stream().mapToLong(Wrk::requests).sum());
        return rps;
    }
}
