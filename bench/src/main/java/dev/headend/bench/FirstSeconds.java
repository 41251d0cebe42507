package dev.headend.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first seconds of a server, what every viewer meets after a restart. Each round launches
 * a server as {@code ./headend serve} does (the same jar, JVM options and start-up cache, the
 * same data directory as the round before, so from the second round on it is a restart),
 * measures the launch until it answers, asks for a channel's playlist (which starts it) until
 * its first segment, then loads that segment with wrk for the first seconds of serving, and
 * nginx with the same bytes right after, while the server and its pipeline still run.
 */
final class FirstSeconds {
    private final Report report;

    FirstSeconds(Report report) {
        this.report = report;
    }

    void run(Path config, Path work, String ffmpeg, String channel, int rounds, int seconds)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("first-seconds"));
        Wrk.Setting load = Wrk.Setting.COMPARED.getLast();
        List<Double> launch = new ArrayList<>();
        List<Double> firstSegment = new ArrayList<>();
        List<Wrk> headend = new ArrayList<>();
        List<Wrk> reference = new ArrayList<>();
        try (Nginx nginx = Nginx.start()) {
            for (int i = 0; i < rounds; i++) {
                ServerProcess server = ServerProcess.start(config, dir, ffmpeg, null);
                try {
                    launch.add(server.launchToServingMs());
                    long asked = System.nanoTime();
                    URI session = server.api().session(channel);
                    URI segment = session.resolve(server.api().playlist(session).entries().getFirst().uri());
                    firstSegment.add(Load.msSince(asked));
                    headend.add(Wrk.run(segment.toString(), seconds, load).withoutErrors());
                    String copy = nginx.publish("first-" + i + ".ts", server.api().bytes(segment));
                    reference.add(Wrk.run(copy, seconds, load).withoutErrors());
                } finally {
                    server.stop();
                }
                System.out.printf(Locale.ROOT, "  round %d: launch to serving %.0f ms, first segment %.0f ms later;"
                        + " first %d s: Headend %.0f req/s, nginx %.0f req/s%n", i + 1, launch.getLast(),
                        firstSegment.getLast(), seconds, headend.getLast().requestsPerSecond(),
                        reference.getLast().requestsPerSecond());
            }
        }
        report.stats("launch_to_serving", "Server launch to its first answer (ms)", Stats.of(launch));
        report.stats("serving_to_first_segment", "Then a stopped channel's playlist to its first segment (ms)",
                Stats.of(firstSegment));
        String what = String.format(Locale.ROOT, "First %d s of segment GETs after launch (%s, %d rounds)", seconds,
                load, rounds);
        double h = Stats.of(headend.stream().map(Wrk::requestsPerSecond).toList()).median();
        double n = Stats.of(reference.stream().map(Wrk::requestsPerSecond).toList()).median();
        report.value("first_seconds_headend_rps", what + ", Headend: requests/s", h);
        report.value("first_seconds_nginx_rps", what + ", nginx: requests/s", n);
        report.value("first_seconds_ratio", what + ": Headend/nginx requests/s", h / n);
    }
}
