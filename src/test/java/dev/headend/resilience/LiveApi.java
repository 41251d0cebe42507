package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the resilience tests ask of a running server, and of the processes and files around it. */
final class LiveApi {
    /** Bound for a stream to start or recover on this (loaded, two-core) machine. */
    static final Duration START = Duration.ofSeconds(20);

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

    static JsonNode json(HttpResponse<String> response) {
        return ResponseJson.of(response);
    }

    static String errorCode(HttpResponse<String> response) {
        return json(response).path("error").path("code").asText();
    }

    /** GET /api/streams/{id}, which must answer 200. */
    static JsonNode stream(TestServer server, String id) {
        HttpResponse<String> response = server.get("/api/streams/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** GET /api/channels/{id}/health, which must answer 200. */
    static JsonNode health(TestServer server, String id) {
        HttpResponse<String> response = server.get("/api/channels/" + id + "/health");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Waits until the channel's stream is running with a live pipeline and returns its pid. */
    static long runningPid(TestServer server, String id) {
        return await().atMost(START).until(() -> stream(server, id), LiveApi::running).get("pid").asLong();
    }

    static boolean running(JsonNode stream) {
        return stream.get("state").asText().equals("running") && stream.get("pid").isNumber();
    }

    /** The pid in a stream's JSON, or -1 while it has no live pipeline. */
    static long pid(JsonNode stream) {
        return stream.get("pid").isNumber() ? stream.get("pid").asLong() : -1;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
