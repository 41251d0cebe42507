package dev.headend.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg child process feeding one stream.
 *
 * <p>Invariants: the process runs in its own process group (via {@code setsid}), with stdin
 * from {@code /dev/null}, or a pipe written by its feed's thread (which ends with the process);
 * a dedicated reader thread drains stdout into the sink and, at end of
 * file, waits for the process, so every process is reaped and the exit is reported exactly
 * once, right after the process ends (not at a later sweep); another thread drains stderr for
 * progress and error lines.
 */
final class FfmpegProcess implements PipelineProcess {
    private static final Logger log = LoggerFactory.getLogger(FfmpegProcess.class);
    private static final int READ_BUFFER = 64 * 1024;
    /** How long the exit report waits for FFmpeg's last stderr lines (its error reason). */
    private static final Duration STDERR_DRAIN = Duration.ofMillis(500);

    private final String name;
    private final Process process;
    private final StderrParser stderr;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private volatile ProgressStats progress = ProgressStats.NONE;
    private volatile boolean stopRequested;

    private FfmpegProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stderr = new StderrParser(stats -> progress = stats);
    }

    /**
     * Spawns the process and starts its reader threads.
     *
     * @param onExit told once, on the stdout reader thread, right after the process ended
     * @throws IOException when the process cannot be spawned (for example FFmpeg is missing)
     */
    static FfmpegProcess start(ProcessSpec spec, ByteSink output, Consumer<ProcessExit> onExit)
            throws IOException {
        Process process = ChildProcesses.start(spec);
        FfmpegProcess p = new FfmpegProcess(spec.name(), process);
        p.exit.thenAccept(onExit);
        spec.stdin().ifPresent(feed -> Thread.ofVirtual().name("ffmpeg-in-" + spec.name() + "-" + process.pid())
                .start(() -> p.pumpStdin(feed)));
        Thread err = Thread.ofPlatform().daemon().name("ffmpeg-err-" + spec.name() + "-" + process.pid())
                .start(p::pumpStderr);
        Thread.ofPlatform().daemon().name("ffmpeg-out-" + spec.name() + "-" + process.pid())
                .start(() -> p.pumpStdout(output, err));
        log.info("channel {}: pipeline process started, pid {}", spec.name(), process.pid());
        return p;
    }

    /** Runs the feed into stdin until the process ends; a write failing because it ended is no error. */
    private void pumpStdin(StdinFeed feed) {
        try (var stdin = process.getOutputStream()) {
            feed.run(stdin, process::isAlive);
        } catch (IOException e) {
            if (process.isAlive()) {
                log.warn("channel {}: feeding the pipeline's input failed: {}", name, e.toString());
            }
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public ProgressStats progress() {
        return progress;
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    @Override
    public void stop(Duration grace) {
        stopRequested = true;
        if (!process.isAlive()) {
            exit.join();
            return;
        }
        ProcessGroups.terminate(process.pid());
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("channel {}: pid {} ignored SIGTERM for {} ms, sending SIGKILL", name, process.pid(),
                        grace.toMillis());
                ProcessGroups.kill(process.pid());
                process.waitFor();
            }
        } catch (InterruptedException e) {
            ProcessGroups.kill(process.pid());
            Thread.currentThread().interrupt();
        }
        exit.join();
    }

    @Override
    public void kill() {
        ProcessGroups.kill(process.pid());
    }

    private void pumpStdout(ByteSink output, Thread stderrReader) {
        byte[] buf = new byte[READ_BUFFER];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("channel {}: reading pipeline output failed: {}", name, e.toString());
        }
        output.end();
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
        exit.complete(new ProcessExit(code, describe(code), stopRequested));
    }

    private void pumpStderr() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                stderr.line(line);
            }
        } catch (IOException e) {
            log.debug("channel {}: stderr closed: {}", name, e.toString());
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
