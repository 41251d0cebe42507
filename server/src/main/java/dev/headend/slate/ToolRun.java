package dev.headend.slate;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs FFmpeg or ffprobe once, to completion, from an argument vector (never a shell).
 *
 * <p>Invariants: stdout goes to the caller's reader, stderr is drained concurrently (so neither
 * pipe can fill up and stall the tool) and its first non-empty line (the cause; later lines
 * tend to be consequences) explains a failure; a run
 * that outlives {@link #TIME_LIMIT_SECONDS} is killed; when the call returns or throws, the
 * process is gone.
 */
final class ToolRun {
    static final long TIME_LIMIT_SECONDS = 60;

    /** Consumes the tool's stdout until its end. */
    interface Output {
        void read(InputStream stdout) throws IOException;
    }

    private ToolRun() {}

    /** Runs with stdin from /dev/null in working directory {@code directory}. */
    static void run(List<String> command, Path directory, Output output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        complete(command, p, output);
    }

    /** Runs with {@code stdin} written to the tool's standard input. */
    static void run(List<String> command, byte[] stdin, Output output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        Thread.ofVirtual().start(() -> write(p, stdin));
        complete(command, p, output);
    }

    private static void complete(List<String> command, Process p, Output output)
            throws IOException, InterruptedException {
        p.onExit().orTimeout(TIME_LIMIT_SECONDS, TimeUnit.SECONDS).exceptionally(timeout -> p.destroyForcibly());
        FutureTask<String> firstError = new FutureTask<>(() -> firstLine(p.getErrorStream()));
        Thread.ofVirtual().start(firstError);
        try {
            output.read(p.getInputStream());
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(command.getFirst() + " exited with " + code + ": " + firstError.get());
            }
        } catch (ExecutionException e) {
            throw new IOException(command.getFirst() + " failed; its error output was unreadable", e.getCause());
        } finally {
            p.destroyForcibly();
        }
    }

    private static void write(Process p, byte[] bytes) {
        try (OutputStream in = p.getOutputStream()) {
            in.write(bytes);
        } catch (IOException closedEarly) {
            // ffprobe stops reading once it has seen enough: a closed pipe is expected.
        }
    }

    private static String firstLine(InputStream stderr) throws IOException {
        String first = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (first.isEmpty()) {
                    first = line.strip();
                }
            }
        }
        return first;
    }
}
