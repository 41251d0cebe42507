package dev.headend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A stream as the stream API shows it, its FFmpeg process, and waits on them. */
public final class Streams {
    /** Bound for a stream to start or recover on this (loaded, two-core) machine. */
    public static final Duration START = Duration.ofSeconds(20);

    private Streams() {}

    /** The code of a JSON error response. */
    public static String errorCode(HttpResponse<String> response) {
        return ResponseJson.of(response).path("error").path("code").asText();
    }

    /** GET /api/streams/{id}, which must answer 200. */
    public static JsonNode stream(TestServer server, String id) {
        HttpResponse<String> response = server.get("/api/streams/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ResponseJson.of(response);
    }

    /** Whether the stream runs with a live pipeline. */
    public static boolean running(JsonNode stream) {
        return stream.get("state").asText().equals("running") && stream.get("pid").isNumber();
    }

    /** The pid in a stream's JSON, or -1 while it has no live pipeline. */
    public static long pid(JsonNode stream) {
        return stream.get("pid").isNumber() ? stream.get("pid").asLong() : -1;
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whether the stream runs with a live pipeline other than {@code oldPid}. */
    public static boolean replaced(JsonNode stream, long oldPid) {
        return running(stream) && pid(stream) != oldPid;
    }

    /**
     * Waits until the channel's slate is made, so a pipeline killed from now on is covered by it
     * at once (the base clip is made in the background after the first real segment, and on a
     * loaded machine that can outlast any number of segments).
     */
    public static void awaitSlateReady(TestServer server, String id) {
        await().atMost(START).until(() -> stream(server, id).path("slate").asText().equals("ready"));
    }

    /** Waits until the channel's stream runs with a live pipeline and returns its pid. */
    public static long runningPid(TestServer server, String id) {
        return awaitReplacementPid(server, id, -1, START);
    }

    /**
     * Waits until the channel's stream runs with a live pipeline other than {@code oldPid} and
     * returns its pid. The stream must exist throughout.
     */
    public static long awaitReplacementPid(TestServer server, String id, long oldPid, Duration bound) {
        return pid(await().atMost(bound).until(() -> stream(server, id), s -> replaced(s, oldPid)));
    }
}
