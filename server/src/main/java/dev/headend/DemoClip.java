package dev.headend;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Generates the demo's media file with FFmpeg when it is missing, so the demo runs offline. */
final class DemoClip {
    private DemoClip() {}

    static void ensure(String ffmpeg, Collection<Channel> channels) {
        for (Channel c : channels) {
            if (c.source() instanceof Source.MediaFile f && !Files.exists(f.path())) {
                generate(ffmpeg, f.path());
            }
        }
    }

    private static void generate(String ffmpeg, Path target) {
        System.out.println("Generating demo clip " + target + " with FFmpeg...");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".part.mp4");
            Process p = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:beep_factor=4",
                    "-t", "20", "-map", "0:v", "-map", "1:a",
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "25",
                    "-keyint_min", "25", "-sc_threshold", "0", "-b:v", "800k",
                    "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", tmp.toString()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .inheritIO()
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ConfigException("FFmpeg could not generate the demo clip " + target);
            }
            Files.move(tmp, target);
        } catch (IOException e) {
            throw new ConfigException("cannot generate the demo clip " + target + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while generating the demo clip");
        }
    }
}
