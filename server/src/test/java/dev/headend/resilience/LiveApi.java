package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestServer;
import dev.headend.support.ToolRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the resilience tests need besides {@code support.Streams}: cheap channels, health, clips and kills. */
final class LiveApi {
    private LiveApi() {}

    /**
     * A test-pattern channel that costs next to nothing: 64x64 at 5 fps, no audio. {@code name}
     * is drawn on the picture and on the slate; channels with the same name share one slate clip.
     */
    static String cheapChannel(String id, String name) {
        return """
                  - id: %s
                    name: %s
                    source: "test:"
                    profile: {type: h264, width: 64, height: 64, fps: 5, bitrate_kbps: 64, preset: ultrafast,
                              audio: none}
                """.formatted(id, name);
    }

    /** GET /api/channels/{id}/health, which must answer 200. */
    static JsonNode health(TestServer server, String id) {
        HttpResponse<String> response = server.get("/api/channels/" + id + "/health");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ResponseJson.of(response);
    }

    /** Sends SIGKILL to all the processes with one {@code kill} command. */
    static void killAll(Collection<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-KILL"));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        ToolRun.succeed(command.toArray(String[]::new));
    }

    /**
     * Writes a 10 s clip (test pattern and a tone; H.264 with a keyframe every second, AAC) to
     * {@code target}, atomically: the file appears complete or not at all.
     */
    static void makeClip(Path target) throws IOException, InterruptedException {
        Path partial = target.resolveSibling(target.getFileName() + ".part.mp4");
        ToolRun.succeed("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", partial.toString());
        moveIntoPlace(partial, target);
    }

    /** Copies {@code source} to {@code target} so that {@code target} appears complete at once. */
    static void copyIntoPlace(Path source, Path target) {
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        moveIntoPlace(partial, target);
    }

    private static void moveIntoPlace(Path partial, Path target) {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
