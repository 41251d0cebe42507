package dev.headend;

import dev.headend.config.ConfigException;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Checks, before serving, that the tools the server runs exist. */
final class Preflight {
    private Preflight() {}

    /**
     * Runs {@code ffmpeg -version} and {@code ffprobe -version} through the process pool, both at
     * once: each takes a few hundred milliseconds (the tools load their libraries) of a start-up
     * that should stay under a second.
     *
     * @throws ConfigException naming the first tool that failed and how to install it or point to it
     */
    static void checkTools(ToolRunner tools, String ffmpeg, String ffprobe, Path workDir)
            throws InterruptedException {
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (String tool : List.of(ffmpeg, ffprobe)) {
            CompletableFuture<Void> check = new CompletableFuture<>();
            Thread.ofVirtual().name("preflight").start(() -> {
                try {
                    tools.run(new ProcessSpec("preflight", List.of(tool, "-hide_banner", "-version"), workDir,
                            Map.of()), ToolRunner.Output.DISCARD);
                    check.complete(null);
                } catch (IOException e) {
                    check.completeExceptionally(new ConfigException("'" + tool + " -version' failed ("
                            + e.getMessage() + "); install FFmpeg (Debian: apt-get install -y ffmpeg) or set"
                            + " HEADEND_FFMPEG to its path"));
                } catch (InterruptedException | RuntimeException e) {
                    check.completeExceptionally(e);
                }
            });
            checks.add(check);
        }
        for (CompletableFuture<Void> check : checks) {
            try {
                check.get();
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case InterruptedException i -> throw i;
                    default -> throw new IllegalStateException(e.getCause());
                }
            }
        }
    }
}
