package dev.headend;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.config.ConfigException;
import dev.headend.pipeline.ProcessSpec;
import dev.headend.pipeline.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Generates the demo's media file with FFmpeg when it is missing, so the demo runs offline. */
final class DemoClip {
    private DemoClip() {}

    static void ensure(ToolRunner tools, String ffmpeg, Collection<Channel> channels) throws InterruptedException {
        for (Channel c : channels) {
            for (Source s : c.sources()) {
                if (s instanceof Source.MediaFile f && !Files.exists(f.path())) {
                    generate(tools, ffmpeg, f.path());
                }
            }
        }
    }

    private static void generate(ToolRunner tools, String ffmpeg, Path target) throws InterruptedException {
        System.out.println("Generating demo clip " + target + " with FFmpeg...");
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = target.resolveSibling(target.getFileName() + ".part.mp4").toAbsolutePath();
            tools.run(new ProcessSpec("demo-clip", List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:beep_factor=4",
                    "-t", "20", "-map", "0:v", "-map", "1:a",
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "25",
                    "-keyint_min", "25", "-sc_threshold", "0", "-b:v", "800k",
                    "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "file:" + tmp), dir, Map.of()),
                    ToolRunner.Output.DISCARD);
            Files.move(tmp, target);
        } catch (IOException e) {
            throw new ConfigException("cannot generate the demo clip " + target + ": " + e.getMessage());
        }
    }
}
