package dev.headend.pipeline;

import dev.headend.media.TsSegmenter;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg child process feeding one stream.
 *
 * <p>Invariants: the process runs in its own process group (via {@code setsid}), with stdin
 * from {@code /dev/null}; a dedicated reader thread drains stdout into the segmenter and, at
 * end of file, waits for the process, so every process is reaped and {@code onExit} fires
 * exactly once, right after the process ends (not at a later sweep); another thread drains
 * stderr for progress and error lines.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private static final int READ_BUFFER = 64 * 1024;
    /** How long the exit report waits for FFmpeg's last stderr lines (its error reason). */
    private static final Duration STDERR_DRAIN = Duration.ofMillis(500);

    private final String channelId;
    private final Process process;
    private final Instant startedAt;
    private final StderrParser stderr;
    private final CompletableFuture<PipelineExit> exit = new CompletableFuture<>();
    private volatile ProgressStats progress = ProgressStats.NONE;
    private volatile boolean stopRequested;

    private Pipeline(String channelId, Process process, Instant startedAt) {
        this.channelId = channelId;
        this.process = process;
        this.startedAt = startedAt;
        this.stderr = new StderrParser(stats -> progress = stats);
    }

    /** What to run: the FFmpeg argument list, its working directory and marker environment. */
    public record Spec(String channelId, List<String> command, Path workDir, Map<String, String> environment) {}

    /**
     * Spawns the process and starts its reader threads.
     *
     * @throws IOException when the process cannot be spawned (for example FFmpeg is missing)
     */
    public static Pipeline start(Spec spec, TsSegmenter segmenter, Consumer<PipelineExit> onExit)
            throws IOException {
        List<String> argv = new ArrayList<>(spec.command().size() + 1);
        argv.add("setsid");
        argv.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(spec.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(spec.environment());
        Process process = pb.start();
        Pipeline p = new Pipeline(spec.channelId(), process, Instant.now());
        p.exit.thenAccept(onExit);
        Thread err = Thread.ofPlatform().daemon().name("ffmpeg-err-" + spec.channelId() + "-" + process.pid())
                .start(p::pumpStderr);
        Thread.ofPlatform().daemon().name("ffmpeg-out-" + spec.channelId() + "-" + process.pid())
                .start(() -> p.pumpStdout(segmenter, err));
        log.info("channel {}: pipeline started, pid {}", spec.channelId(), process.pid());
        return p;
    }

    public long pid() {
        return process.pid();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public ProgressStats progress() {
        return progress;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public CompletableFuture<PipelineExit> exit() {
        return exit;
    }

    /**
     * Stops the process group: SIGTERM, then SIGKILL after {@code grace}. Returns once the
     * process has exited and been reaped. Idempotent.
     */
    public void stop(Duration grace) {
        stopRequested = true;
        if (!process.isAlive()) {
            exit.join();
            return;
        }
        ProcessGroups.terminate(process.pid());
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("channel {}: pid {} ignored SIGTERM for {}s, sending SIGKILL", channelId, process.pid(),
                        grace.toSeconds());
                ProcessGroups.kill(process.pid());
                process.waitFor();
            }
        } catch (InterruptedException e) {
            ProcessGroups.kill(process.pid());
            Thread.currentThread().interrupt();
        }
        exit.join();
    }

    /**
     * Sends SIGKILL to the group at once without marking the exit as requested, so the owner
     * treats it like a crash (used for stalled pipelines).
     */
    public void kill() {
        ProcessGroups.kill(process.pid());
    }

    private void pumpStdout(TsSegmenter segmenter, Thread stderrReader) {
        byte[] buf = new byte[READ_BUFFER];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                segmenter.accept(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("channel {}: reading pipeline output failed: {}", channelId, e.toString());
        }
        segmenter.finish();
        int code;
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                ProcessGroups.kill(process.pid());
            }
            code = process.waitFor();
            stderrReader.join(STDERR_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        exit.complete(new PipelineExit(code, describe(code), stopRequested));
    }

    private void pumpStderr() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderr.line(line);
            }
        } catch (IOException e) {
            log.debug("channel {}: stderr closed: {}", channelId, e.toString());
        }
    }

    private String describe(int code) {
        String reason = stderr.reason();
        if (reason != null) {
            return reason;
        }
        if (code > 128) {
            return "ffmpeg killed by signal " + (code - 128);
        }
        return code == 0 ? "ffmpeg ended (source finished)" : "ffmpeg exited with status " + code;
    }
}
