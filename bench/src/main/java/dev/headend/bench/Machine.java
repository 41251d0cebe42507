package dev.headend.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Describes the machine a benchmark ran on: cores, CPU model, JDK, FFmpeg version. */
record Machine(int cores, String cpu, String jdk, String ffmpeg) {
    static Machine describe(String ffmpeg) {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + Runtime.version(), ffmpegVersion(ffmpeg));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String ffmpegVersion(String ffmpeg) {
        try {
            Process p = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-version"))
                    .redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("unknown");
            p.waitFor();
            return first.replace("ffmpeg version ", "").split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    String header() {
        return cores + " cores, " + cpu + ", " + jdk + ", FFmpeg " + ffmpeg;
    }
}
