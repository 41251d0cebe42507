package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.slate.SlateLook.Audio;
import dev.headend.slate.SlateLook.Visual;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what making one 720p slate clip costs: FFmpeg's CPU time (user + system, read as
 * the JVM's reaped-children times in /proc/self/stat) against wall time, for a first run
 * (which also loads the slate classes) and a second one, then for status-line clips (what a
 * slate showing the time costs each minute of an outage) with 2 s and with 1 s segments (the
 * default). Prints; it asserts only that clips came out, since the numbers depend on the machine.
 */
class SlateCostTest {
    /** Kernel ticks per second in /proc: USER_HZ, fixed at 100 for Linux's user-space ABI. */
    private static final double USER_HZ = 100;

    @TempDir
    Path work;

    @Test
    void printsFfmpegCpuAndWallTimeOfMaking720pClips() throws Exception {
        MediaFormat hd = new MediaFormat(1280, 720, 25, Optional.of(new MediaFormat.Audio(48_000, 2)));
        SlateLook look = SlateLook.of(Visual.TEXT, Audio.SINE).withChannelLine("7 · Demo News");

        record Run(String name, String status, int segmentSeconds) {}
        for (Run run : new Run[] {new Run("first run", "", 2), new Run("second run", "", 2),
                new Run("status line", "14:05 · Back at about 14:07", 2),
                new Run("status line", "14:06 · Back at about 14:07", 1)}) {
            double cpuBefore = childrenCpuSeconds();
            long start = System.nanoTime();
            SlateClip clip = SlateMaker.make("ffmpeg", work, hd, look, run.status(), run.segmentSeconds());
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = childrenCpuSeconds() - cpuBefore;

            System.out.printf(Locale.ROOT, "720p25 slate (%s), %d segments of %d s, %d bytes: FFmpeg CPU %.2f s,"
                    + " wall %.2f s%n", run.name(), clip.segmentCount(), run.segmentSeconds(), clip.sizeBytes(), cpu,
                    wall);
            assertThat(clip.segmentCount()).isEqualTo(2);
        }
    }

    /** cutime + cstime of this JVM: CPU time of its children that have been waited for. */
    private static double childrenCpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / USER_HZ;
    }
}
