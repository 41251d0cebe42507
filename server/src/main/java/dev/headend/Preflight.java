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
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the tools the server runs: before serving, that each is there (an executable file at
 * the path given, or of that name on {@code PATH}); once serving, that each runs ({@code
 * -version}, in the background: running both takes a few hundred milliseconds while the tools
 * load their libraries, of a start-up that should stay under a second). A tool that is there but
 * does not run is logged as an error; its channels fail with FFmpeg's own message when they start.
 */
final class Preflight {
    private static final Logger log = LoggerFactory.getLogger(Preflight.class);

    private Preflight() {}

    /** @throws ConfigException naming the first tool that is missing and how to install it or point to it */
    static void requireTools(String ffmpeg, String ffprobe) {
        for (String tool : List.of(ffmpeg, ffprobe)) {
            if (executable(tool, System.getenv("PATH")).isEmpty()) {
                throw new ConfigException(missing(tool, "not found or not executable"));
            }
        }
    }

    /**
     * Runs {@code ffmpeg -version} and {@code ffprobe -version} through the process pool, on a
     * virtual thread; a failure is logged while {@code serving} holds (not when the server stops
     * before the check ends).
     */
    static void verifyInBackground(ToolRunner tools, String ffmpeg, String ffprobe, Path workDir,
            BooleanSupplier serving) {
        Thread.ofVirtual().name("preflight").start(() -> {
            for (String tool : List.of(ffmpeg, ffprobe)) {
                try {
                    tools.run(new ProcessSpec("preflight", List.of(tool, "-hide_banner", "-version"), workDir,
                            Map.of()), ToolRunner.Output.DISCARD);
                } catch (IOException e) {
                    if (serving.getAsBoolean()) {
                        log.error(missing(tool, e.getMessage()));
                    }
                } catch (InterruptedException e) {
                    return; // the server is stopping
                }
            }
        });
    }

    /** The executable {@code tool} names: a path with a slash as given, else the first on {@code path}. */
    static Optional<Path> executable(String tool, String path) {
        try {
            if (tool.contains("/")) {
                return Optional.of(Path.of(tool)).filter(Preflight::runnable);
            }
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, tool);
                    if (runnable(candidate)) {
                        return Optional.of(candidate);
                    }
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

    private static String missing(String tool, String why) {
        return "'" + tool + " -version' failed (" + why + "); install FFmpeg (Debian: apt-get install -y ffmpeg) or"
                + " set HEADEND_FFMPEG to its path";
    }
}
