package dev.headend.resilience;

import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.errorCode;
import static dev.headend.support.Streams.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsViewer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operator restart (POST /api/streams/{id}/restart): a new pipeline takes over from the running one seamlessly. */
@NeedsFfmpeg
class HotSwapIT {
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.testChannel("swap") + TestServer.testChannel("resting"), Map.of());
    }

    @Test
    void restartReplacesTheWatchedPipelineWithOneDiscontinuityAndNoSlate() {
        try (HlsViewer viewer = new HlsViewer(server, "swap", Duration.ofMillis(250))) {
            long oldPid = Streams.runningPid(server, "swap");
            await().atMost(START).until(() -> viewer.history().size() >= 3);
            long newestBefore = viewer.newest();

            Poller.Sample<JsonNode> takeover;
            Instant requested;
            try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100), () -> Streams.stream(server, "swap"))) {
                requested = Instant.now();
                HttpResponse<String> accepted = server.post("/api/streams/swap/restart");
                HttpResponse<String> second = server.post("/api/streams/swap/restart");

                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                JsonNode body = ResponseJson.of(accepted);
                assertThat(body.get("success").asBoolean()).isTrue();
                assertThat(body.get("stream_id").asText()).isEqualTo("swap");
                assertThat(body.get("verdict").asText()).isEqualTo("now");
                assertThat(Instant.parse(body.get("restart_at").asText())).isBetween(requested, Instant.now());
                assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
                assertThat(errorCode(second)).isEqualTo("restart_in_progress");

                await().atMost(START).until(() -> pid(Streams.stream(server, "swap")) != oldPid);
                await().atMost(START).until(() -> viewer.sawSwitchAfter(newestBefore, 3));
                takeover = api.samples().stream().filter(s -> pid(s.value()) != oldPid && pid(s.value()) != -1)
                        .findFirst().orElseThrow();
                assertThat(api.samples()).extracting(s -> s.value().get("state").asText()).containsOnly("running");
            }
            long newPid = pid(takeover.value());
            // at once, not after a cooldown; how fast is the benchmark's to measure (a start, on a loaded machine)
            assertThat(Duration.between(requested, takeover.at())).isLessThan(START);

            viewer.assertSeamlessSwitches(newestBefore, 1);
            assertThat(viewer.statuses()).containsOnly(200);
            assertThat(server.server().policy().counts().values().stream().mapToLong(Long::longValue).sum())
                    .as("restart decisions taken: the refused second request took none").isEqualTo(1);
            await().atMost(START).until(() -> !Streams.alive(oldPid));
            assertThat(server.pipelinePids()).containsExactly(newPid);
            JsonNode after = Streams.stream(server, "swap");
            assertThat(after.get("restarts").asInt()).as("an operator swap is not a failure restart").isZero();
            assertThat(after.get("viewers").asInt()).isEqualTo(1);
        }
    }

    @Test
    void restartOfAChannelThatIsNotRunningIsRefusedAndStartsNothing() {
        long spawned = server.server().pool().stats().spawned();

        HttpResponse<String> refused = server.post("/api/streams/resting/restart");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(errorCode(refused)).isEqualTo("stream_not_running");
        assertThat(server.get("/api/streams/resting").statusCode()).isEqualTo(404);
        assertThat(server.server().pool().stats().spawned()).isEqualTo(spawned);
    }
}
