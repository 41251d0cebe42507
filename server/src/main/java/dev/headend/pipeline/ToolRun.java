package dev.headend.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Completes one tool run whose process has been started (see {@link ProcessPool#run}).
 *
 * <p>Invariants: stdout goes to the caller's reader, stderr is drained concurrently (so neither
 * pipe can fill up and stall the tool) and its first non-empty line (the cause; later lines
 * tend to be consequences) explains a failure; a run that outlives {@link #TIME_LIMIT} is
 * killed with its process group; when {@link #complete} returns or throws, the process has
 * ended and been reaped.
 */
final class ToolRun {
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    private ToolRun() {}

    static void complete(String tool, Process p, ToolRunner.Output output) throws IOException, InterruptedException {
        p.getOutputStream().close();
        p.onExit().orTimeout(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS).exceptionally(timeout -> {
            ProcessGroups.kill(p.pid());
            return p;
        });
        FutureTask<String> firstError = new FutureTask<>(() -> firstLine(p.getErrorStream()));
        Thread.ofVirtual().name("tool-err-" + p.pid()).start(firstError);
        boolean done = false;
        try {
            output.read(p.getInputStream());
            int code = p.waitFor();
            done = true;
            if (code != 0) {
                throw new IOException(tool + " exited with " + code + ": " + firstError.get());
            }
        } catch (ExecutionException e) {
            throw new IOException(tool + " failed; its error output was unreadable", e.getCause());
        } finally {
            if (!done && p.isAlive()) {
                ProcessGroups.kill(p.pid());
            }
            p.waitFor();
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
