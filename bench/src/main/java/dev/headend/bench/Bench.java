package dev.headend.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The benchmark suite: runs a Headend server as a separate process on a loopback port and
 * measures it over real HTTP: cold and warm start, segment serving against nginx, HLS viewers,
 * continuous-TS fan-out, slow-consumer isolation, TS viewers that never read and what ended
 * sessions give back, recovery from a killed pipeline, what the slate costs, event delivery
 * (store, SSE, webhooks), time to first frame in hls.js and an FFmpeg TS client, memory per session
 * of each protocol, memory footprint, the import
 * of a 10,000-entry M3U playlist, and a three-node cluster on Redis (takeover after an owner's
 * SIGKILL, the relay between nodes, Redis commands per viewer). {@code
 * --only} runs some scenarios alone. Prints one table and writes it as JSON and Markdown under
 * the output directory. All load targets 127.0.0.1, is bounded in count and time, and every
 * child process is ended.
 */
@Command(name = "headend-bench", mixinStandardHelpOptions = true,
        description = "Run the benchmark suite against a local server process.")
public final class Bench implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    private static final String LOAD_CHANNEL = "seg-1m";
    private static final String LOAD_LABEL = "1 Mbit/s 720p channel";
    /** The start-up window the first-seconds scenario loads: the "first 10 s" of serving. */
    private static final int FIRST_SECONDS = 10;
    private static final String SLATE_CHANNEL = "slate-cost";
    /** A cheap channel for the memory per session: its streaming costs little CPU with a thousand TS readers. */
    private static final String MEMORY_CHANNEL = "fp-0";
    /** The slate-cost channel's own copy of the clip: the scenario takes it away. */
    private static final String SLATE_SOURCE = "slate-source.mp4";
    private static final String EVENTS_CHANNEL = "events";
    private static final String FOOTPRINT = "footprint with channels";
    private static final String VIEWERS = "HLS viewers";
    private static final String FIRST_FRAME = "time to first frame";
    /** A test pattern as the cold-start one, for the time to first frame. */
    private static final String FIRST_FRAME_CHANNEL = "first-frame";

    @Option(names = "--quick", description = "a reduced run (under 3 minutes) instead of the full one (under 20)")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--profile", description = "record the server with JFR and list its hottest methods")
    boolean profile;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "FFmpeg executable")
    String ffmpeg;

    @Option(names = "--only", split = ",", paramLabel = "SCENARIO",
            description = "run only these scenarios, named as the run prints them (\"== name\"), comma-separated")
    Set<String> only = Set.of();

    @Option(names = "--all-steps", description = "run every step of the HLS viewers and the continuous TS fan-out,"
            + " also after one failed (memory at the largest load on a busy machine)")
    boolean allSteps;

    private final Report report = new Report();
    private int failures;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        Machine machine = Machine.describe(ffmpeg);
        System.out.println("Headend bench on " + machine.header());
        report.note("Load generators (wrk, simulated viewers and readers) run on the same machine as the server and"
                + " compete with it for CPU.");
        Path work = Files.createTempDirectory("headend-bench");
        Path config = work.resolve("bench.yml");
        Path clip = clip(work);
        Files.copy(clip, work.resolve(SLATE_SOURCE));
        Files.writeString(config, config(clip, work.resolve(SLATE_SOURCE)));
        List<String> jvm = ServerProcess.jvmOptions();
        report.note("Server JVM options: " + (jvm.isEmpty()
                ? "none (the JVM's own defaults; " + ServerProcess.JVM_OPTIONS_ENV + " is set by ./headend bench)"
                : String.join(" ", jvm)));
        Path recording = profile ? work.resolve("server.jfr").toAbsolutePath() : null;
        ServerProcess server = ServerProcess.start(config, work, ffmpeg, recording);
        try {
            scenarios(server, plan, work, config);
        } finally {
            server.stop();
        }
        if (recording != null) {
            HotMethods.rank(recording, 12).forEach((kind, shares) -> report.note("Server CPU samples (JFR), "
                    + kind + ": " + String.join("; ", shares.stream().map(HotMethods::format).toList())));
        }
        int left = server.leftAfterStop();
        report.value("ffmpeg_left", "FFmpeg processes left after the server stopped",
                left == 0 ? "0 (PASS)" : left + " (FAIL; killed)");
        failures += left == 0 ? 0 : 1;
        report.write(out, machine, plan, "./headend bench" + (quick ? " --quick" : "") + (profile ? " --profile" : "")
                + (allSteps ? " --all-steps" : "") + (only.isEmpty() ? "" : " --only '" + String.join(",", only) + "'"),
                (System.nanoTime() - began) / 60e9);
        if (failures == 0) {
            deleteTree(work);
            return 0;
        }
        System.out.println(failures + " scenario(s) failed; server log kept in " + work.resolve("server.log"));
        return 1;
    }

    private void scenarios(ServerProcess server, Plan plan, Path work, Path config) throws InterruptedException {
        Api api = server.api();
        Footprint footprint = new Footprint(server, report);
        if (selected(FOOTPRINT)) {
            footprint.idle();
        }
        scenario(FOOTPRINT, () -> footprint.channels(
                IntStream.range(0, 10).mapToObj(i -> "fp-" + i).toList()));
        StartLatency start = new StartLatency(api, report);
        scenario("cold start", () -> {
            start.cold("cold-test", "test pattern 1280x720 h264", plan.coldRuns());
            start.cold("cold-copy", "copy remux of a file", plan.coldRuns());
        });
        scenario("warm start", () -> start.warm("warm", plan.warmCalls()));
        scenario("segment serving vs nginx", () -> {
            if (!Files.isExecutable(Wrk.BINARY) || !Files.isExecutable(Nginx.BINARY)) {
                throw new IllegalStateException("needs " + Wrk.BINARY + " and " + Nginx.BINARY
                        + " (apt-get install wrk nginx)");
            }
            new SegmentServing(api, report).run(List.of(new SegmentServing.Channel("seg-1m", 1000),
                    new SegmentServing.Channel("seg-4m", 4000)), plan.wrkRounds(), plan.wrkSeconds());
        });
        scenario("first seconds after start", () -> new FirstSeconds(report).run(config, work, ffmpeg, LOAD_CHANNEL,
                plan.wrkRounds(), FIRST_SECONDS));
        HlsViewers.Round[] held = new HlsViewers.Round[1];
        scenario(VIEWERS, () -> held[0] = new HlsViewers(server, report, LOAD_CHANNEL, LOAD_LABEL)
                .ramp(plan.viewerSteps(), plan.viewerSeconds(), allSteps));
        TsFanout fanout = new TsFanout(server, report, LOAD_CHANNEL, LOAD_LABEL);
        scenario("continuous TS fan-out", () -> fanout.ramp(plan.readerSteps(), plan.readerSeconds(), allSteps));
        scenario("slow-consumer isolation", () -> fanout.isolation(plan.isolationReaders(), plan.readerSeconds()));
        scenario("TS viewers that never read", () -> new TsNonReaders(server, report, LOAD_CHANNEL, LOAD_LABEL)
                .run(plan.isolationReaders(), plan.isolationReaders() / 10, plan.nonReaderSeconds()));
        scenario("relay fan-out", () -> relay(server, plan));
        EventDelivery events = new EventDelivery(api, report);
        scenario("event delivery", () -> {
            events.store(plan.storedEvents());
            events.latency(EVENTS_CHANNEL, plan.eventCycles());
            events.outage(plan.outageEvents());
        });
        scenario("recovery", () -> new Recovery(api, report).run(
                IntStream.range(0, plan.kills()).mapToObj(i -> "recover-" + i).toList()));
        SlateCost slates = new SlateCost(server, report, ffmpeg);
        scenario("slate cost", () -> {
            slates.making(work);
            slates.againstTheChannel(SLATE_CHANNEL, work.resolve(SLATE_SOURCE));
        });
        if (!BrowserPlayback.available()) {
            report.note("Chromium (/usr/bin/chromium) is not installed: recovery in a browser was not measured.");
        } else {
            scenario("recovery in Chromium", () -> new BrowserPlayback(api, report).run("recover-browser", 2, work));
        }
        TimeToFirstFrame firstFrame = new TimeToFirstFrame(api, report, ffmpeg);
        scenario(FIRST_FRAME, () -> {
            if (BrowserPlayback.available()) {
                firstFrame.hls(FIRST_FRAME_CHANNEL, "720p test pattern", plan.coldRuns(), work);
            } else {
                report.note("Chromium (/usr/bin/chromium) is not installed: the time to first frame in hls.js was"
                        + " not measured.");
            }
            firstFrame.ts(FIRST_FRAME_CHANNEL, "720p test pattern", plan.coldRuns());
        });
        scenario("session memory", () -> new SessionMemory(server, report, MEMORY_CHANNEL)
                .run(plan.memorySessions()));
        if (selected(VIEWERS)) {
            footprint.sessions(held[0]);
        }
        scenario("M3U import", () -> new M3uImport(api, report).run(plan.importRuns()));
        if (!ClusterScenario.available()) {
            report.note("redis-server (" + RedisServer.BINARY + ") is not installed: the cluster was not measured.");
        } else {
            scenario("cluster", () -> new ClusterScenario(report, work, ffmpeg).run(plan.clusterKills(),
                    plan.clusterViewers(), plan.viewerSeconds()));
        }
    }

    /**
     * The WebSocket relay: 50 viewers of a 15 fps stream of 40 KB frames, without and with 5
     * viewers reading at 64 kbit/s (latency of the others, frames they missed), and the heap a
     * viewer costs.
     */
    private void relay(ServerProcess server, Plan plan) throws Exception {
        RelayFanout relay = new RelayFanout("http://127.0.0.1:" + server.port());
        int seconds = plan.readerSeconds();
        for (int slow : new int[] {0, 5}) {
            RelayFanout.Run run = relay.run("bench-relay-" + slow, 50, slow, 64_000, 40_000, 15, 5, seconds);
            String label = "relay, 50 viewers" + (slow > 0 ? " (5 at 64 kbit/s)" : "");
            report.stats("relay_latency_slow_" + slow, label + ": frame latency of the others, ms", run.latencyMs());
            report.value("relay_missed_slow_" + slow, label + ": frames the others missed", run.normalMissed());
            if (slow > 0) {
                report.value("relay_slow_frames", label + ": frames each slow viewer got", run.slowFrames());
            }
        }
        report.value("relay_heap_per_viewer", "relay: heap per viewer, bytes",
                Math.round(relay.heapPerViewerBytes(server.pid(), 200)));
    }

    private interface Scenario {
        void run() throws Exception;
    }

    private boolean selected(String name) {
        return only.isEmpty() || only.contains(name);
    }

    /** Runs one scenario (when selected); a failure is noted and counted, and the next scenario runs. */
    private void scenario(String name, Scenario s) throws InterruptedException {
        if (!selected(name)) {
            return;
        }
        System.out.println("== " + name);
        try {
            s.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failures++;
            report.note(name + " failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
    }

    /** A 10 s 720p clip with a keyframe every second, for the copy-remux channel (played in a loop). */
    private Path clip(Path work) throws IOException, InterruptedException {
        Path clip = work.resolve("clip.mp4");
        Process p = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-sc_threshold", "0",
                "-pix_fmt", "yuv420p", "-c:a", "aac", clip.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).inheritIO().start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("FFmpeg could not generate the test clip");
            }
        } finally {
            p.destroyForcibly();
        }
        return clip;
    }

    /**
     * The server configuration: a 30-segment window (a segment stays fetchable for about a
     * minute), no limit of sessions per channel (the load scenarios open thousands), the
     * cold-start channels, two 720p channels at 1 and 4 Mbit/s for the load scenarios, and cheap
     * 320x180 channels for warm start, recovery and footprint. Channels the benchmark starts
     * itself linger long: it stops each one explicitly.
     */
    private static String config(Path clip, Path slateSource) {
        StringBuilder c = new StringBuilder("""
                server:
                  window_segments: 30
                  webhook_backoff_max_seconds: 2s
                  max_sessions_per_channel: 0
                channels:
                  - id: cold-test
                    source: "test:"
                    profile: {type: h264, width: 1280, height: 720, fps: 25, bitrate_kbps: 2000, preset: veryfast}
                  - id: %s
                    source: "test:"
                    linger_seconds: 600
                    profile: {type: h264, width: 1280, height: 720, fps: 25, bitrate_kbps: 2000, preset: veryfast}
                  - id: cold-copy
                    source: "file:%s"
                    profile: copy
                """.formatted(FIRST_FRAME_CHANNEL, clip));
        for (int kbps : new int[] {1000, 4000}) {
            c.append(channel("seg-" + kbps / 1000 + "m", 1280, 720, kbps));
        }
        c.append(channel("warm", 320, 180, 300));
        c.append(channel(EVENTS_CHANNEL, 320, 180, 300));
        c.append("""
                  - id: %s
                    source: "file:%s"
                    linger_seconds: 600
                    profile: {type: h264, width: 320, height: 180, fps: 25, bitrate_kbps: 300, preset: ultrafast}
                """.formatted(SLATE_CHANNEL, slateSource));
        c.append(channel("recover-browser", 640, 360, 600));
        for (int i = 0; i < Math.max(Plan.FULL.kills(), Plan.QUICK.kills()); i++) {
            c.append(channel("recover-" + i, 320, 180, 300));
        }
        for (int i = 0; i < 10; i++) {
            c.append(channel("fp-" + i, 320, 180, 300));
        }
        return c.toString();
    }

    private static String channel(String id, int width, int height, int kbps) {
        return """
                  - id: %s
                    source: "test:"
                    linger_seconds: 600
                    profile: {type: h264, width: %d, height: %d, fps: 25, bitrate_kbps: %d, preset: ultrafast}
                """.formatted(id, width, height, kbps);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
