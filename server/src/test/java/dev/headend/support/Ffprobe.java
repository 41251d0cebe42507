package dev.headend.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real ffprobe runs for the tests; each fails the test unless ffprobe succeeds. */
public final class Ffprobe {
    private Ffprobe() {}

    /** Runs ffprobe quietly with {@code args} and returns what it printed. */
    public static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        command.addAll(List.of(args));
        return ToolRun.succeed(command.toArray(String[]::new)).stdout();
    }

    /**
     * Whether ffprobe's first video frame line says {@code key_frame=1}. The line's first CSV
     * field is the flag; ffprobe may append frame side data (an encoder SEI) after it.
     */
    public static boolean firstVideoFrameIsKey(Path file) throws IOException, InterruptedException {
        String frames = run("-select_streams", "v:0", "-show_frames", "-show_entries", "frame=key_frame",
                "-of", "csv=p=0", file.toString());
        return frames.lines().findFirst().map(line -> line.split(",", 2)[0].strip()).orElse("").equals("1");
    }
}
