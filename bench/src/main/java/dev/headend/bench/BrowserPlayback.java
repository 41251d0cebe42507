package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 7, in a browser: hls.js in headless Chromium plays a channel while its FFmpeg is
 * killed. The player page comes from a small server in this process on loopback (so it may
 * reach the Headend server) and reports its progress there twice a second: current time, and
 * every error hls.js raised. The scenario reports how far playback went on after the kills and
 * the errors seen.
 */
final class BrowserPlayback {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final double AFTER_KILL_SECONDS = 6;
    private static final long LIMIT_SECONDS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Api api;
    private final Report report;
    private final AtomicReference<JsonNode> latest = new AtomicReference<>();

    BrowserPlayback(Api api, Report report) {
        this.api = api;
        this.report = report;
    }

    /** True when Chromium is installed; otherwise the scenario is skipped with a note. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    void run(String id, int kills, Path work) throws IOException, InterruptedException {
        api.start(id);
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/player.html", ex -> send(ex, page(id).getBytes(StandardCharsets.UTF_8)));
        pages.createContext("/report", ex -> {
            latest.set(JSON.readTree(ex.getRequestBody()));
            send(ex, new byte[0]);
        });
        pages.start();
        Process browser = open("http://127.0.0.1:" + pages.getAddress().getPort() + "/player.html", work);
        try {
            double played = awaitTime(3, "playback start");
            for (int i = 0; i < kills; i++) {
                long pid = api.json("/api/streams/" + id).path("pid").asLong(-1);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                played = awaitTime(time() + AFTER_KILL_SECONDS, "playback after kill " + (i + 1));
            }
            JsonNode last = latest.get();
            report.value("recovery_browser", "Recovery in Chromium (hls.js), " + kills + " SIGKILLs of FFmpeg",
                    String.format(Locale.ROOT, "kept playing (%.1f s played); errors seen: %d, fatal: %s", played,
                            last.path("errors").asInt(), last.path("fatal").isNull() ? "none"
                                    : last.path("fatal").asText()));
            if (last.path("errors").asInt() > 0) {
                report.note("hls.js errors during recovery: " + last.path("details"));
            }
        } finally {
            close(browser);
            pages.stop(0);
            api.stop(id);
        }
    }

    /** Headless Chromium with its own profile under {@code work}, showing {@code url}; its output goes to chromium.log. */
    static Process open(String url, Path work) throws IOException {
        Path profile = Files.createTempDirectory(work, "chromium");
        return new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, url))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("chromium.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /** Ends a browser from {@link #open} and every process it started. */
    static void close(Process browser) throws InterruptedException {
        browser.descendants().forEach(ProcessHandle::destroyForcibly);
        browser.destroyForcibly();
        browser.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits until the player's current time reaches {@code seconds}; returns it. */
    private double awaitTime(double seconds, String what) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(LIMIT_SECONDS)) {
            JsonNode r = latest.get();
            if (r != null && !r.path("fatal").isNull()) {
                throw new IllegalStateException("hls.js stopped with a fatal error: " + r.path("fatal").asText());
            }
            if (time() >= seconds) {
                return time();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + what + " within " + LIMIT_SECONDS + " s (player: " + latest.get() + ")");
    }

    private double time() {
        JsonNode r = latest.get();
        return r == null ? 0 : r.path("time").asDouble();
    }

    private String page(String id) {
        String base = api.base();
        return """
                <!doctype html><html><body><video id="v" muted autoplay playsinline></video>
                <script src="%s/vendor/hls.min.js"></script>
                <script>
                  const v = document.getElementById('v'), state = {errors: 0, fatal: null, details: []};
                  const hls = new Hls();
                  hls.on(Hls.Events.ERROR, (e, d) => { state.errors++; state.details.push(d.details);
                    if (d.fatal) state.fatal = d.details; });
                  hls.loadSource('%s/live/%s/index.m3u8');
                  hls.attachMedia(v);
                  hls.on(Hls.Events.MANIFEST_PARSED, () => v.play().catch(() => {}));
                  setInterval(() => fetch('/report', {method: 'POST', body: JSON.stringify(
                    {time: v.currentTime, errors: state.errors, fatal: state.fatal, details: state.details})}), 500);
                </script></body></html>
                """.formatted(base, base, id);
    }

    static void send(HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
