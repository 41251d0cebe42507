package dev.headend;

import dev.headend.config.ConfigException;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Checks, before serving, that the tools the server runs are there. */
final class Preflight {
    private Preflight() {}

    /**
     * Runs {@code ffmpeg -version} through the process pool, and checks that ffprobe is an
     * executable file (at its path, or of its name on {@code PATH}) without running it: running
     * each tool takes a few hundred milliseconds as it loads its libraries, of a start-up that
     * should stay under a second, and both come from the same FFmpeg install.
     *
     * @throws ConfigException naming the tool and how to install it or point to it
     */
    static void checkTools(ToolRunner tools, String ffmpeg, String ffprobe, Path workDir)
            throws InterruptedException {
        try {
            tools.run(new ProcessSpec("preflight", List.of(ffmpeg, "-hide_banner", "-version"), workDir, Map.of()),
                    ToolRunner.Output.DISCARD);
        } catch (IOException e) {
            throw new ConfigException(failed(ffmpeg, e.getMessage()));
        }
        if (executable(ffprobe, System.getenv("PATH")).isEmpty()) {
            throw new ConfigException(failed(ffprobe, "not found or not executable"));
        }
    }

    /**
     * Starts {@link #checkTools} on a virtual thread, so it runs while the server is built; {@link
     * Running#await} gives its outcome.
     */
    static Running start(ToolRunner tools, String ffmpeg, String ffprobe, Path workDir) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("preflight").start(() -> {
            try {
                checkTools(tools, ffmpeg, ffprobe, workDir);
                done.complete(null);
            } catch (InterruptedException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return new Running(done);
    }

    /** A check under way. */
    record Running(CompletableFuture<Void> done) {
        /** Waits for the check to end; throws what {@link #checkTools} throws (a {@code ConfigException}). */
        void await() throws InterruptedException {
            try {
                done.get();
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case InterruptedException i -> throw i;
                    default -> throw new IllegalStateException(e.getCause());
                }
            }
        }
    }

    /** The executable {@code tool} names: a path with a slash as given, else the first of that name on {@code path}. */
    static Optional<Path> executable(String tool, String path) {
        try {
            if (tool.contains("/")) {
                return Optional.of(Path.of(tool)).filter(Preflight::runnable);
            }
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                if (!dir.isEmpty() && runnable(Path.of(dir, tool))) {
                    return Optional.of(Path.of(dir, tool));
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean runnable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static String failed(String tool, String why) {
        return "'" + tool + " -version' failed (" + why + "); install FFmpeg (Debian: apt-get install -y ffmpeg) or"
                + " set HEADEND_FFMPEG to its path";
    }
}
