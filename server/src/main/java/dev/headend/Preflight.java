package dev.headend;

import dev.headend.config.ConfigException;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Checks, before serving, that the tools the server runs exist. */
final class Preflight {
    private Preflight() {}

    /**
     * Runs {@code ffmpeg -version} and {@code ffprobe -version} through the process pool.
     *
     * @throws ConfigException naming the tool and how to install it or point to it
     */
    static void checkTools(ToolRunner tools, String ffmpeg, String ffprobe, Path workDir)
            throws InterruptedException {
        for (String tool : List.of(ffmpeg, ffprobe)) {
            try {
                tools.run(new ProcessSpec("preflight", List.of(tool, "-hide_banner", "-version"), workDir, Map.of()),
                        ToolRunner.Output.DISCARD);
            } catch (IOException e) {
                throw new ConfigException("'" + tool + " -version' failed (" + e.getMessage() + "); install FFmpeg"
                        + " (Debian: apt-get install -y ffmpeg) or set HEADEND_FFMPEG to its path");
            }
        }
    }
}
