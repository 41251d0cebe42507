package dev.headend.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk against one URL and reads its summary: requests per second, latency p50/p99, errors. */
record Wrk(String url, double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors) {
    static final Path BINARY = Path.of("/usr/bin/wrk");

    /** wrk's load: threads and connections kept open. */
    record Setting(int threads, int connections) {
        /** The two loads segment serving is compared under: one wrk thread, and one per core. */
        static final List<Setting> COMPARED = List.of(new Setting(1, 32), new Setting(2, 64));

        @Override
        public String toString() {
            return "wrk -t" + threads + " -c" + connections;
        }
    }

    static Wrk run(String url, int seconds, Setting load) throws IOException, InterruptedException {
        Path output = Files.createTempFile("headend-wrk", ".txt");
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-t" + load.threads(), "-c" + load.connections(),
                "-d" + seconds + "s", "--latency", url))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wrk failed on " + url + ": " + Files.readString(output));
            }
            return parse(url, Files.readString(output));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** This run, when wrk saw no error and no status other than 2xx or 3xx; else an exception naming the URL. */
    Wrk withoutErrors() {
        if (errors > 0) {
            throw new IllegalStateException("wrk saw " + errors + " errors or non-2xx responses on " + url);
        }
        return this;
    }

    static Wrk parse(String url, String out) {
        long errors = find(out, "Non-2xx or 3xx responses:\\s+(\\d+)").map(Long::parseLong).orElse(0L);
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Wrk(url,
                Double.parseDouble(find(out, "Requests/sec:\\s+([\\d.]+)").orElseThrow(() -> unreadable(out))),
                latency(out, "50%"), latency(out, "99%"),
                Long.parseLong(find(out, "(\\d+) requests in").orElseThrow(() -> unreadable(out))), errors);
    }

    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile("(?m)^\\s+" + percentile + "\\s+([\\d.]+)(us|ms|s)\\s*$").matcher(out);
        if (!m.find()) {
            throw unreadable(out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            default -> v * 1000;
        };
    }

    private static Optional<String> find(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static IllegalStateException unreadable(String out) {
        return new IllegalStateException("cannot read wrk's output:\n" + out);
    }
}
