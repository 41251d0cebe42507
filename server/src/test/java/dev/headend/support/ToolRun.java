package dev.headend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A finished run of a command-line tool (FFmpeg, ffprobe): its exit status and what it printed. */
public record ToolRun(int exitCode, String stdout, String stderr) {
    /** Runs the command to completion; fails the test if it takes more than a minute. */
    public static ToolRun of(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(p.getErrorStream()),
                Thread::startVirtualThread);
        String out = text(p.getInputStream());
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("%s finished within a minute", command[0]).isTrue();
        return new ToolRun(p.exitValue(), out, err.join());
    }

    /** Runs the command to completion and fails the test, showing what it printed on stderr, unless it exits 0. */
    public static ToolRun succeed(String... command) throws IOException, InterruptedException {
        ToolRun run = of(command);
        assertThat(run.exitCode()).as("%s failed: %s", String.join(" ", command), run.stderr()).isZero();
        return run;
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
