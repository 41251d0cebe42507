package dev.headend.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Start-up latency benchmark: runs a Headend server as a separate process on a loopback port
 * and measures, over real HTTP, cold starts (first playlist request of a stopped channel until
 * a playlist with a segment, and until that segment's bytes) for a test-pattern and a
 * copy-remux channel, and warm start calls and warm playlist requests. Prints a table and
 * writes it as JSON and Markdown under the output directory. All load is bounded and local.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure cold and warm start latency against a local server.")
public final class Bench implements Callable<Integer> {
    @Option(names = "--quick", description = "fewer repetitions (about a minute)")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "FFmpeg executable")
    String ffmpeg;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    private String base;

    @Override
    public Integer call() throws Exception {
        int coldRuns = quick ? 5 : 10;
        int warmCalls = quick ? 2_000 : 10_000;
        Machine machine = Machine.describe(ffmpeg);
        Path work = Files.createTempDirectory("headend-bench");
        Path clip = work.resolve("clip.mp4");
        run(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "30", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-sc_threshold", "0",
                "-pix_fmt", "yuv420p", "-c:a", "aac", clip.toString()));
        Path config = work.resolve("bench.yml");
        Files.writeString(config, """
                channels:
                  - id: cold-test
                    source: "test:"
                    profile: {type: h264, width: 1280, height: 720, fps: 25, bitrate_kbps: 2000, preset: veryfast}
                  - id: cold-copy
                    source: "file:%s"
                    profile: copy
                  - id: warm
                    source: "test:"
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                """.formatted(clip));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Process server = startServer(config, work, port);
        try {
            awaitHealthy(server);
            System.out.println("Headend bench on " + machine.header());
            coldStart("cold-test", "test pattern 1280x720 h264", coldRuns);
            coldStart("cold-copy", "copy remux of a file", coldRuns);
            warmStart("warm", warmCalls);
        } finally {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        write(machine, coldRuns, warmCalls);
        return 0;
    }

    private void coldStart(String id, String label, int runs) throws Exception {
        List<Double> playlist = new ArrayList<>();
        List<Double> firstBytes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get("/live/" + id + "/index.m3u8");
            long t1 = System.nanoTime();
            String body = r.body();
            if (r.statusCode() != 200 || !body.contains("#EXTINF")) {
                throw new IllegalStateException("cold start of " + id + " failed: " + r.statusCode() + " " + body);
            }
            String segment = body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
            URI segmentUri = r.uri().resolve(segment);
            HttpResponse<byte[]> seg = http.send(HttpRequest.newBuilder(segmentUri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            long t2 = System.nanoTime();
            if (seg.statusCode() != 200 || seg.body().length == 0) {
                throw new IllegalStateException("segment fetch failed: " + seg.statusCode());
            }
            playlist.add((t1 - t0) / 1e6);
            firstBytes.add((t2 - t0) / 1e6);
            post("/api/streams/" + id + "/stop");
        }
        record("cold_start_" + id, "Cold start, " + label + ": playlist with a segment (ms)", Stats.of(playlist));
        record("cold_first_segment_" + id, "Cold start, " + label + ": first segment's bytes (ms)",
                Stats.of(firstBytes));
    }

    private void warmStart(String id, int calls) throws Exception {
        post("/api/streams/" + id + "/start?wait=ready");
        List<Double> start = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post("/api/streams/" + id + "/start");
            start.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != 200 || !r.body().contains("\"already_running\":true")) {
                throw new IllegalStateException("warm start failed: " + r.body());
            }
        }
        record("warm_start_call", "Warm start call, POST /api/streams/{id}/start (ms)", Stats.of(start));
        HttpResponse<String> first = get("/live/" + id + "/index.m3u8");
        URI playlistUri = first.uri();
        List<Double> playlist = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(playlistUri).build(),
                    HttpResponse.BodyHandlers.ofString());
            playlist.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("warm playlist failed: " + r.statusCode());
            }
        }
        record("warm_playlist", "Warm playlist request with a session (ms)", Stats.of(playlist));
    }

    private void record(String key, String label, Stats stats) {
        results.put(key, stats);
        String row = String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |", label, stats.median(),
                stats.p95(), stats.p99(), stats.count());
        rows.add(row);
        System.out.println(label + ": " + stats);
    }

    private void write(Machine machine, int coldRuns, int warmCalls) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("machine", machine);
        json.put("quick", quick);
        json.put("cold_runs", coldRuns);
        json.put("warm_calls", warmCalls);
        json.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("bench.json").toFile(),
                json);
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine.header()).append("  \n");
        md.append("Date: ").append(LocalDate.now()).append(quick ? " (quick run)" : "").append("\n\n");
        md.append("| measure | median | p95 | p99 | n |\n| --- | ---: | ---: | ---: | ---: |\n");
        rows.forEach(r -> md.append(r).append('\n'));
        Files.writeString(out.resolve("bench.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nwritten to " + out.toAbsolutePath());
    }

    private Process startServer(Path config, Path work, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.headend.Headend", "serve", "--config", config.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile());
        pb.environment().put("HEADEND_PORT", Integer.toString(port));
        pb.environment().put("HEADEND_DATA_DIR", work.resolve("data").toString());
        pb.environment().put("HEADEND_FFMPEG", ffmpeg);
        return pb.start();
    }

    private void awaitHealthy(Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited; see its log");
            }
            try {
                if (get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                server.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("the server did not become healthy within 30 s");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("command failed: " + command);
        }
    }
}
