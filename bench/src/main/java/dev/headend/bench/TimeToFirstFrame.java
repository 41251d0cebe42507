package dev.headend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Time to first frame, what a viewer waits for a picture, of a stopped channel (the request
 * starts it) and of a running one. In headless Chromium, hls.js configured as the dashboard's
 * player: from {@code loadSource} to the first frame presented ({@code
 * requestVideoFrameCallback}) and to the video's {@code currentTime} advancing. With FFmpeg as
 * a continuous-TS client: from process start to exit after one decoded video frame, beside
 * the same client decoding one frame of a generated picture (its own start-up and exit).
 */
final class TimeToFirstFrame {
    private static final long LIMIT_SECONDS = 60;
    /** A running channel's playlist lists this many (1 s) segments before its TS viewers are timed. */
    private static final int RUNNING_SEGMENTS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Api api;
    private final Report report;
    private final String ffmpeg;

    TimeToFirstFrame(Api api, Report report, String ffmpeg) {
        this.api = api;
        this.report = report;
        this.ffmpeg = ffmpeg;
    }

    /** hls.js in Chromium: {@code runs} plays of the channel stopped, then {@code runs} of it running. */
    void hls(String id, String label, int runs, Path work) throws IOException, InterruptedException {
        BlockingQueue<JsonNode> results = new ArrayBlockingQueue<>(1);
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/player.html", ex -> BrowserPlayback.send(ex, page(id).getBytes(StandardCharsets.UTF_8)));
        pages.createContext("/report", ex -> {
            results.offer(JSON.readTree(ex.getRequestBody()));
            BrowserPlayback.send(ex, new byte[0]);
        });
        pages.start();
        String url = "http://127.0.0.1:" + pages.getAddress().getPort() + "/player.html";
        try {
            for (boolean running : new boolean[] {false, true}) {
                List<Double> frame = new ArrayList<>();
                List<Double> advancing = new ArrayList<>();
                String state = running ? "running" : "stopped";
                if (running) {
                    api.start(id);
                }
                for (int i = 0; i < runs; i++) {
                    if (!running) {
                        api.stop(id);
                    }
                    results.clear();
                    JsonNode r = play(url, work, results);
                    if (!r.path("fatal").isMissingNode()) {
                        throw new IllegalStateException("hls.js stopped with a fatal error (" + state + " "
                                + id + "): " + r.path("fatal").asText());
                    }
                    frame.add(r.path("frame_ms").asDouble());
                    advancing.add(r.path("advancing_ms").asDouble());
                }
                report.stats("ttff_hls_frame_" + state, "Time to first frame, hls.js in Chromium, " + label + " "
                        + state + ": loadSource to first frame presented (ms)", Stats.of(frame));
                report.stats("ttff_hls_advancing_" + state, "Time to first frame, hls.js in Chromium, " + label + " "
                        + state + ": loadSource to currentTime advancing (ms)", Stats.of(advancing));
            }
        } finally {
            pages.stop(0);
            api.stop(id);
        }
    }

    /** Opens the player page in a fresh browser and waits for its one report. */
    private static JsonNode play(String url, Path work, BlockingQueue<JsonNode> results)
            throws IOException, InterruptedException {
        Process browser = BrowserPlayback.open(url, work);
        try {
            JsonNode r = results.poll(LIMIT_SECONDS, TimeUnit.SECONDS);
            if (r == null) {
                throw new IllegalStateException("no first frame in Chromium within " + LIMIT_SECONDS + " s");
            }
            return r;
        } finally {
            BrowserPlayback.close(browser);
        }
    }

    /**
     * FFmpeg reading {@code /live/{id}.ts}: {@code runs} reads of the channel stopped, then
     * {@code runs} of it running, and {@code runs} decodes of a generated picture.
     */
    void ts(String id, String label, int runs) throws IOException, InterruptedException {
        List<String> stream = List.of("-i", api.base() + "/live/" + id + ".ts");
        try {
            for (boolean running : new boolean[] {false, true}) {
                String state = running ? "running" : "stopped";
                if (running) {
                    api.start(id);
                    // running: long enough to hold the backlog a new TS viewer is sent (the server's 6 s), as
                    // a channel someone watches does, not just started
                    api.awaitFullWindow(api.session(id), RUNNING_SEGMENTS, Duration.ofSeconds(LIMIT_SECONDS));
                }
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    if (!running) {
                        api.stop(id);
                    }
                    times.add(firstFrame(stream));
                }
                report.stats("ttff_ts_" + state, "Time to first frame, continuous TS with FFmpeg, " + label + " "
                        + state + ": process start to exit after one decoded frame (ms)", Stats.of(times));
            }
        } finally {
            api.stop(id);
        }
        List<Double> own = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            own.add(firstFrame(List.of("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25")));
        }
        report.stats("ttff_ts_client_alone", "Time to first frame, the FFmpeg client alone: one frame of a generated"
                + " 720p picture (ms)", Stats.of(own));
    }

    /** Runs FFmpeg until it has decoded one video frame of {@code input}; returns its wall time in ms. */
    private double firstFrame(List<String> input) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin"));
        command.addAll(input);
        command.addAll(List.of("-frames:v", "1", "-f", "null", "-"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("FFmpeg decoded no frame of " + input + " within " + LIMIT_SECONDS
                        + " s");
            }
            double ms = Load.msSince(t0);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("FFmpeg failed on " + input + ": exit " + p.exitValue());
            }
            return ms;
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The player page: hls.js as in the server's /web/player.html. It reports once, when the
     * first frame was presented and currentTime moved past where playback began (both in ms
     * after loadSource), or on a fatal hls.js error.
     */
    private String page(String id) {
        String base = api.base();
        return """
                <!doctype html><html><body><video id="v" muted autoplay playsinline></video>
                <script src="%s/vendor/hls.min.js"></script>
                <script>
                  const v = document.getElementById('v'), r = {};
                  let t0 = 0, start = null, sent = false;
                  const send = () => { if (!sent) { sent = true;
                    fetch('/report', {method: 'POST', body: JSON.stringify(r)}); } };
                  const done = () => { if (r.frame_ms !== undefined && r.advancing_ms !== undefined) send(); };
                  v.requestVideoFrameCallback(() => { r.frame_ms = performance.now() - t0; done(); });
                  const poll = setInterval(() => {
                    if (v.paused || v.readyState < 2) return;
                    if (start === null) { start = v.currentTime; return; }
                    if (v.currentTime > start) { r.advancing_ms = performance.now() - t0; clearInterval(poll); done(); }
                  }, 5);
                  const hls = new Hls({lowLatencyMode: false});
                  hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) { r.fatal = d.details; send(); } });
                  hls.on(Hls.Events.MANIFEST_PARSED, () => v.play().catch(() => {}));
                  hls.attachMedia(v);
                  t0 = performance.now();
                  hls.loadSource('%s/live/%s/index.m3u8');
                </script></body></html>
                """.formatted(base, base, id);
    }
}
