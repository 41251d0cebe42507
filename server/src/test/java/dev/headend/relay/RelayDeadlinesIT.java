package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.support.LogCapture;
import dev.headend.support.NeedsFfmpeg;
import dev.headend.support.ResponseJson;
import dev.headend.support.TestImages;
import dev.headend.support.TestServer;
import dev.headend.support.WsClient;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A publisher that goes silent: reported stalled after the stall window, ended after the end window. */
@NeedsFfmpeg
class RelayDeadlinesIT {
    @Test
    void aSilentPublisherIsReportedStalledThenEndedForEveryViewer() throws Exception {
        try (TestServer server = TestServer.start("", Map.of("relay_stall_seconds", "1s", "relay_end_seconds", "3s"));
                LogCapture log = new LogCapture();
                WsClient one = WsClient.connect(WsClient.url(server, "/ws/watch/quiet"));
                WsClient all = WsClient.connect(WsClient.url(server, "/ws/watch"));
                WsClient publisher = WsClient.connect(WsClient.url(server, "/ws/publish/quiet"))) {
            publisher.awaitType("publishing");
            publisher.sendBinary(TestImages.jpeg(8, 8, 100));

            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> log.text().contains("publisher_stalled: relay stream quiet sent no frame for"));
            // once per silence (the manual-clock unit test counts them); on a loaded machine the time
            // between connecting and the first frame may already have been one
            assertThat(server.server().relay().counters().stalls()).isPositive();
            JsonNode stalled = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ResponseJson.of(
                    server.get("/api/events/history?types=publisher_stalled")).get("events"), e -> !e.isEmpty());
            assertThat(stalled.get(0).get("channel_id").asText()).as("an event, for webhooks and feeds")
                    .isEqualTo("quiet");
            assertThat(stalled.get(0).at("/data/silence_seconds").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(one.ofType("stream_ended")).isEmpty();

            assertThat(publisher.awaitClose()).isEqualTo(1008);
            assertThat(publisher.closeReason()).startsWith("no frame or no answer within");
            assertThat(one.awaitType("stream_ended").path("reason").asText()).isEqualTo("timed_out");
            assertThat(all.awaitType("stream_ended").path("stream_id").asText()).isEqualTo("quiet");
            assertThat(server.server().relay().streams()).isEmpty();
            assertThat(log.text()).contains("relay stream quiet ended (timed_out)");
        }
    }
}
