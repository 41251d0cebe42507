package dev.headend.resilience;

import static dev.headend.resilience.LiveApi.health;
import static dev.headend.support.Streams.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LivePlaylist;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The circuit breaker of a channel whose source does not work, on the real clock: five failed
 * starts open it for three seconds, requests meanwhile are refused without spawning anything,
 * the first start after the open period is the single probe, and a probe that produces closes
 * the circuit.
 *
 * <p>Each request is a player's first: without a session token, it starts the channel and
 * waits for its first segment before it is redirected, so a failed start is answered at once.
 */
@NeedsFfmpeg
class CircuitBreakerIT {
    private static final int FAILURES = 5;
    private static final Duration OPEN = Duration.ofSeconds(3);
    private static final Pattern OPEN_UNTIL = Pattern.compile("open until (\\S+)$");

    @TempDir
    static Path media;

    private static Path clip;
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        clip = media.resolve("late.mp4");
        server = TestServer.start("""
                  - id: late
                    source: "file:%s"
                """.formatted(clip), Map.of("breaker_failures", Integer.toString(FAILURES),
                "breaker_open_seconds", Long.toString(OPEN.toSeconds())));
    }

    @Test
    void failingSourceOpensTheCircuitAndOnlyAProbeAfterTheOpenPeriodIsLetThrough() throws Exception {
        Instant fifthSent = null;
        for (int attempt = 1; attempt <= FAILURES; attempt++) {
            fifthSent = Instant.now();
            HttpResponse<String> failed = playlist();

            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
            assertThat(errorCode(failed)).isEqualTo("source_failed");
            assertThat(failed.headers().firstValue("Retry-After")).isPresent();
            assertThat(spawned()).as("one FFmpeg per failed start").isEqualTo(attempt);
        }
        Instant fifthAnswered = Instant.now();

        JsonNode broken = health(server, "late");
        assertThat(broken.get("status").asText()).isEqualTo("failed");
        assertThat(broken.get("circuit_state").asText()).isEqualTo("open");
        assertThat(broken.get("reason").asText()).contains("No such file or directory");

        Instant sixthSent = Instant.now();
        HttpResponse<String> refused = playlist();
        Instant sixthAnswered = Instant.now();

        Instant openUntil = assertCircuitOpen(refused, sixthSent, sixthAnswered);
        assertThat(openUntil).isBetween(fifthSent.plus(OPEN), fifthAnswered.plus(OPEN));
        assertNothingStarted(FAILURES);

        HttpResponse<String> failedProbe = firstRequestLetThrough(openUntil);

        assertThat(failedProbe.statusCode()).as(failedProbe.body()).isEqualTo(503);
        assertThat(errorCode(failedProbe)).isEqualTo("source_failed");
        assertThat(spawned()).as("the probe is the only start after the open period").isEqualTo(FAILURES + 1);
        Instant reopenedSent = Instant.now();
        HttpResponse<String> reopened = playlist();
        Instant reopenedUntil = assertCircuitOpen(reopened, reopenedSent, Instant.now());
        assertThat(reopenedUntil).as("a failed probe reopens the circuit at once for a full period")
                .isAfterOrEqualTo(openUntil.plus(OPEN));
        assertNothingStarted(FAILURES + 1);

        LiveApi.makeClip(clip);
        List<String> circuitWhileStarting;
        try (Poller<JsonNode> probeState = new Poller<>(Duration.ofMillis(50), CircuitBreakerIT::streamOrNull)) {
            HttpResponse<String> served = firstRequestLetThrough(reopenedUntil);

            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(LivePlaylist.parse(served.body()).segments()).isNotEmpty();
            circuitWhileStarting = probeState.samples().stream().map(Poller.Sample::value)
                    .filter(s -> s != null && s.get("state").asText().equals("starting"))
                    .map(s -> s.get("circuit_state").asText()).toList();
        }
        assertThat(spawned()).isEqualTo(FAILURES + 2);
        assertThat(health(server, "late").get("circuit_state").asText()).isEqualTo("closed");
        assertThat(Streams.stream(server, "late").get("state").asText()).isEqualTo("running");
        assertThat(server.pipelinePids()).hasSize(1);
        // "closed" may be read together with "starting" at the very moment the probe succeeds
        assertThat(circuitWhileStarting).as("circuit state while the probe starts")
                .contains("half_open").doesNotContain("open");
    }

    /** Asserts a 503 circuit_open whose Retry-After is the rest of the open period; returns its end. */
    private static Instant assertCircuitOpen(HttpResponse<String> response, Instant sent, Instant answered) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(errorCode(response)).isEqualTo("circuit_open");
        Matcher until = OPEN_UNTIL.matcher(ResponseJson.of(response).get("error").get("message").asText());
        assertThat(until.find()).as(response.body()).isTrue();
        Instant openUntil = Instant.parse(until.group(1));
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        // whole seconds left when the server answered, plus one
        assertThat(retryAfter).isBetween(Duration.between(answered, openUntil).toSeconds() + 1,
                Duration.between(sent, openUntil).toSeconds() + 1);
        return openUntil;
    }

    /** The refused request started no stream and spawned no process. */
    private static void assertNothingStarted(long spawnedSoFar) {
        assertThat(spawned()).isEqualTo(spawnedSoFar);
        assertThat(server.get("/api/streams/late").statusCode()).isEqualTo(404);
        assertThat(server.pipelinePids()).isEmpty();
    }

    /**
     * Requests the playlist every 200 ms until a request is not refused as circuit_open, which
     * must not happen before {@code openUntil}; returns that request's answer.
     */
    private static HttpResponse<String> firstRequestLetThrough(Instant openUntil) {
        return await().atMost(OPEN.plus(Streams.START)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Instant sent = Instant.now();
                    HttpResponse<String> r = playlist();
                    boolean refused = r.statusCode() == 503 && errorCode(r).equals("circuit_open");
                    assertThat(refused || !Instant.now().isBefore(openUntil))
                            .as("let through before the open period ended (sent %s, open until %s)", sent, openUntil)
                            .isTrue();
                    return r;
                }, r -> !(r.statusCode() == 503 && errorCode(r).equals("circuit_open")));
    }

    /** The channel's playlist, as a new player requests it. */
    private static HttpResponse<String> playlist() {
        return server.get("/live/late/index.m3u8");
    }

    private static long spawned() {
        return server.server().pool().stats().spawned();
    }

    private static JsonNode streamOrNull() {
        HttpResponse<String> r = server.get("/api/streams/late");
        return r.statusCode() == 200 ? ResponseJson.of(r) : null;
    }
}
