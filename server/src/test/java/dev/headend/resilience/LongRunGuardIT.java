package dev.headend.resilience;

import static dev.headend.support.Streams.START;
import static dev.headend.support.Streams.pid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.HlsViewer;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.Streams;
import dev.headend.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The long-run guard: a pipeline older than {@code max_process_age_seconds} is replaced by a hot swap. */
@NeedsFfmpeg
class LongRunGuardIT {
    private static final Duration MAX_AGE = Duration.ofSeconds(3);

    @Test
    void pipelineOlderThanTheLimitIsReplacedSeamlesslyEachTime() {
        try (TestServer server = TestServer.start(TestServer.testChannel("aging"),
                Map.of("max_process_age_seconds", Long.toString(MAX_AGE.toSeconds())))) {
            Instant requested = Instant.now();
            try (HlsViewer viewer = new HlsViewer(server, "aging", Duration.ofMillis(250))) {
                long firstPid = Streams.runningPid(server, "aging");
                long newestBefore = viewer.newest();

                List<Poller.Sample<JsonNode>> samples;
                try (Poller<JsonNode> api = new Poller<>(Duration.ofMillis(100),
                        () -> Streams.stream(server, "aging"))) {
                    await().atMost(MAX_AGE.multipliedBy(2).plus(START))
                            .until(() -> pidsInOrder(api.samples()).size() >= 3);
                    long newestAtThirdPid = viewer.newest();
                    await().atMost(START).until(() -> viewer.newest() >= newestAtThirdPid + 2);
                    samples = api.samples();
                    viewer.assertSeamlessSwitches(newestBefore, 2);
                    assertThat(viewer.statuses()).containsOnly(200);
                }

                List<Long> pids = pidsInOrder(samples);
                assertThat(pids.getFirst()).isEqualTo(firstPid);
                assertThat(samples).extracting(s -> s.value().get("state").asText()).containsOnly("running");
                Instant firstSwap = samples.stream().filter(s -> pid(s.value()) == pids.get(1)).findFirst()
                        .orElseThrow().at();
                assertThat(firstSwap).as("not replaced before its time").isAfter(requested.plus(MAX_AGE));
                for (long replaced : pids.subList(0, 2)) {
                    double oldest = samples.stream().filter(s -> pid(s.value()) == replaced)
                            .mapToDouble(s -> s.value().get("process_age").asDouble()).max().orElseThrow();
                    // the age is checked every 0.5 s, then the replacement needs its first segment to take over,
                    // which on a loaded machine takes up to a start (how long is the benchmark's business)
                    assertThat(oldest).as("age of pid %d when last seen", replaced)
                            .isGreaterThanOrEqualTo(MAX_AGE.toSeconds())
                            .isLessThan(MAX_AGE.plus(START).toSeconds());
                }
                await().atMost(START).until(() -> pids.subList(0, 2).stream().noneMatch(Streams::alive));
                // besides the live pipeline, at most the next long-run replacement may be warming up; read
                // again when the live one was itself replaced between the two readings (it ages on meanwhile)
                await().atMost(START).untilAsserted(() -> {
                    long live = pid(Streams.stream(server, "aging"));
                    assertThat(server.pipelinePids()).contains(live)
                            .doesNotContainAnyElementsOf(pids.subList(0, 2)).hasSizeLessThanOrEqualTo(2);
                });
            }
        }
    }

    /** The distinct pids the samples show, in the order they appeared. */
    private static List<Long> pidsInOrder(List<Poller.Sample<JsonNode>> samples) {
        return samples.stream().map(s -> pid(s.value())).filter(pid -> pid != -1).distinct().toList();
    }
}
