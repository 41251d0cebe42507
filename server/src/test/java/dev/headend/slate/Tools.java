package dev.headend.slate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real FFmpeg and ffprobe runs for the slate tests; each fails the test unless the tool succeeds. */
final class Tools {
    private Tools() {}

    /** Runs ffprobe on {@code ts} (written to a file in {@code dir}) with JSON output. */
    static JsonNode ffprobe(Path dir, byte[] ts, String... args) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "probe", ".ts");
        Files.write(file, ts);
        List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        command.addAll(List.of(args));
        command.addAll(List.of("-of", "json", file.toString()));
        return new ObjectMapper().readTree(run(command));
    }

    /** Runs FFmpeg quietly with {@code args}; returns what it printed on stderr (warnings and errors). */
    static String ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "warning"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("FFmpeg finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + errors).isZero();
        return errors;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffprobe finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }
}
