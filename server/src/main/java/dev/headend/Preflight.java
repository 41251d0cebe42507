package dev.headend;

import dev.headend.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Checks, before serving, that the tools the server spawns exist. */
final class Preflight {
    private Preflight() {}

    static void checkFfmpeg(String ffmpeg) {
        try {
            Process p = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-version"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ConfigException("'" + ffmpeg + " -version' failed; check HEADEND_FFMPEG");
            }
        } catch (IOException e) {
            throw new ConfigException("FFmpeg not found ('" + ffmpeg
                    + "'); install it (Debian: apt-get install -y ffmpeg) or set HEADEND_FFMPEG");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking FFmpeg");
        }
    }
}
