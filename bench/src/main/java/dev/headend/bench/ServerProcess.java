package dev.headend.bench;

import dev.headend.pipeline.OrphanReaper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Headend server under test, a child process on a free loopback port with its own data
 * directory. Its CPU time and memory come from /proc; its FFmpeg pipelines are the processes
 * carrying its data directory as pipeline owner. {@link #stop()} stops it (SIGTERM, which
 * stops every pipeline) and then kills any pipeline still alive, remembering how many there were.
 */
final class ServerProcess {
    /**
     * The environment variable through which the launcher ({@code ./headend bench}) passes the
     * server's default JVM options, the ones {@code ./headend serve} uses, so the benchmark
     * measures the server as it runs by default.
     */
    static final String JVM_OPTIONS_ENV = "HEADEND_SERVER_JVM_OPTIONS";
    /**
     * The environment variable through which the launcher names the server's jar, so the
     * benchmark starts the server as {@code ./headend serve} does ({@code java -jar}), the way its
     * start-up cache was trained; without it the server runs from the benchmark's class path.
     */
    static final String JAR_ENV = "HEADEND_SERVER_JAR";
    /** The JVM option naming the start-up cache; a JFR recording cannot use it (the cache has no JFR module). */
    private static final String AOT_CACHE_OPTION = "-XX:AOTCache=";

    private final Process process;
    private final int port;
    private final String owner;
    private final Api api;
    private final long launchedAt;
    private double launchToServingMs = -1;
    private int leftAfterStop = -1;

    private ServerProcess(Process process, long launchedAt, int port, String owner, Api api) {
        this.process = process;
        this.launchedAt = launchedAt;
        this.port = port;
        this.owner = owner;
        this.api = api;
    }

    /** @param recording where the server writes a JFR profile on exit, or null for none */
    static ServerProcess start(Path config, Path work, String ffmpeg, Path recording)
            throws IOException, InterruptedException {
        return start(config, work, ffmpeg, recording, Map.of());
    }

    /**
     * @param recording where the server writes a JFR profile on exit, or null for none
     * @param environment settings passed as environment variables ({@code HEADEND_...}) on top of the
     *     port, data directory, FFmpeg and admin token this class chooses
     */
    static ServerProcess start(Path config, Path work, String ffmpeg, Path recording, Map<String, String> environment)
            throws IOException, InterruptedException {
        int port = freePort();
        Path data = work.resolve("data").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions().stream()
                .filter(o -> recording == null || !o.startsWith(AOT_CACHE_OPTION)).toList());
        if (recording != null) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
        }
        String jar = System.getenv(JAR_ENV);
        command.addAll(jar == null || jar.isBlank() ? List.of("-cp", System.getProperty("java.class.path"),
                "dev.headend.Headend") : List.of("-jar", jar));
        command.addAll(List.of("serve", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile());
        pb.environment().put("HEADEND_PORT", Integer.toString(port));
        pb.environment().put("HEADEND_DATA_DIR", data.toString());
        pb.environment().put("HEADEND_FFMPEG", ffmpeg);
        String adminToken = UUID.randomUUID().toString();
        pb.environment().put("HEADEND_ADMIN_TOKEN", adminToken);
        pb.environment().putAll(environment);
        Api api = new Api("http://127.0.0.1:" + port, adminToken);
        long launchedAt = System.nanoTime();
        ServerProcess server = new ServerProcess(pb.start(), launchedAt, port, data.toString(), api);
        try {
            server.awaitHealthy();
        } catch (RuntimeException | IOException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** The server's JVM options from the launcher, none when the benchmark was started without it. */
    static List<String> jvmOptions() {
        String options = System.getenv(JVM_OPTIONS_ENV);
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Api api() {
        return api;
    }

    /** From the process launch to the first answer to {@code /healthz}, polled every 5 ms. */
    double launchToServingMs() {
        return launchToServingMs;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    long rssKb() {
        return Proc.rssKb(process.pid());
    }

    /** The class of the server's viewer sessions, whose instances the live heap counts. */
    static final String SESSION_CLASS = "dev.headend.session.ViewerSession";

    /** The live heap: total bytes, instances and bytes per class name, as {@code jcmd GC.class_histogram} counts. */
    record LiveHeap(long bytes, Map<String, Long> instances, Map<String, Long> bytesByClass) {
        long of(String className) {
            return instances.getOrDefault(className, 0L);
        }

        /** The {@code n} classes whose objects grew most in bytes since {@code earlier}, with their growth. */
        List<String> grownSince(LiveHeap earlier, int n) {
            return bytesByClass.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - earlier.bytesByClass.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                    .map(e -> e.getKey() + " +" + e.getValue() / 1024 + " KB").toList();
        }
    }

    /** The server's live heap in bytes (see {@link #liveHeap()}). */
    long liveHeapBytes() throws IOException, InterruptedException {
        return liveHeap().bytes();
    }

    /**
     * The server's live heap: {@code jcmd GC.class_histogram} runs a full GC first, lists the
     * objects left by class ({@code num: instances bytes class}) and ends with their total.
     */
    LiveHeap liveHeap() throws IOException, InterruptedException {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid()), "GC.class_histogram"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd failed: " + out);
            }
            String total = out.lines().filter(l -> l.startsWith("Total")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no total in jcmd's class histogram"));
            Map<String, Long> instances = new HashMap<>();
            Map<String, Long> bytes = new HashMap<>();
            out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 4 && f[0].endsWith(":"))
                    .forEach(f -> {
                        instances.merge(f[3], Long.parseLong(f[1]), Long::sum);
                        bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
                    });
            return new LiveHeap(Long.parseLong(total.trim().split("\\s+")[2]), instances, bytes);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Pids of the live pipeline processes this server started (not its short tool runs). */
    List<Long> pipelines() {
        return OrphanReaper.findPipelines(owner);
    }

    /** Pids of every live process this server started: pipelines and tool runs. */
    List<Long> processes() {
        return OrphanReaper.find(owner);
    }

    /** FFmpeg processes found alive after the server stopped, or -1 before {@link #stop()}. */
    int leftAfterStop() {
        return leftAfterStop;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see its log");
            }
            try {
                if (api.get("/healthz").statusCode() == 200) {
                    launchToServingMs = Load.msSince(launchedAt);
                    return;
                }
            } catch (IOException e) {
                process.waitFor(5, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("the server did not become healthy within 30 s");
    }

    /** SIGKILL, as a crashed machine would stop; then ends the pipelines it left (as its next start would). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        processes().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        List<Long> left = processes();
        leftAfterStop = left.size();
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
}
