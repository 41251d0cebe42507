package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlaylistHoldTest {
    private static final Duration HOLD = Duration.ofSeconds(20);
    private final ManualTime time = new ManualTime();
    private final PlaylistHold hold = new PlaylistHold(time, HOLD);

    @Test
    void theLastRelayedPlaylistIsAnsweredAgainWithinTheHoldOnly() {
        hold.keep("cam", answer(200, "first"), "node-a");
        time.advance(Duration.ofSeconds(5));
        hold.keep("cam", answer(200, "second"), "node-a");
        time.advance(HOLD);

        assertThat(hold.recent("cam")).hasValueSatisfying(h -> {
            assertThat(new String(h.answer().body(), StandardCharsets.UTF_8)).isEqualTo("second");
            assertThat(h.node()).isEqualTo("node-a");
        });
        time.advance(Duration.ofMillis(1));
        assertThat(hold.recent("cam")).as("older than the hold").isEmpty();
        assertThat(hold.recent("other")).as("never relayed").isEmpty();
    }

    @Test
    void anErrorAnswerIsNeverKeptNorReplacesAPlaylist() {
        hold.keep("cam", answer(200, "playlist"), "node-a");
        hold.keep("cam", answer(503, "{\"error\":{}}"), "node-b");
        hold.keep("dead", answer(404, "{\"error\":{}}"), "node-b");

        assertThat(hold.recent("cam")).hasValueSatisfying(h -> assertThat(h.node()).isEqualTo("node-a"));
        assertThat(hold.recent("dead")).isEmpty();
    }

    private static PeerClient.Answer answer(int status, String body) {
        return new PeerClient.Answer(status, "application/vnd.apple.mpegurl", body.getBytes(StandardCharsets.UTF_8));
    }
}
