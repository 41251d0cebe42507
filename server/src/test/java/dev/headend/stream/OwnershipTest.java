package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.Channel;
import dev.headend.support.TestChannels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stream manager asks the ownership before it creates a stream, and never while one runs. */
class OwnershipTest {
    private static final Channel CAM = TestChannels.onDemand("cam", "rtsp://192.0.2.1/a");
    private static final Channel LOBBY = TestChannels.alwaysOn("lobby", "rtsp://192.0.2.1/lobby");

    private final Map<String, Ownership.Claim> answers = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final StreamHarness h = new StreamHarness(List.of(CAM, LOBBY), id -> {
        asked.incrementAndGet();
        return answers.getOrDefault(id, new Ownership.Claim.Granted());
    });

    @Test
    void aChannelAnotherNodeRunsIsNotStartedHere() {
        answers.put("cam", new Ownership.Claim.Elsewhere("node-b", "http://10.0.0.2:8080"));

        assertThatThrownBy(() -> h.manager.start("cam")).isInstanceOf(NotOwnerException.class)
                .hasMessage("channel cam runs on node node-b")
                .satisfies(e -> assertThat(((NotOwnerException) e).elsewhere()).map(Ownership.Claim.Elsewhere::node)
                        .contains("node-b"));
        assertThat(h.launcher.launched()).isEmpty();
        assertThat(h.manager.all()).isEmpty();
    }

    @Test
    void nothingStartsWhileOwnershipCannotBeGranted() {
        answers.put("cam", new Ownership.Claim.Unavailable("Redis cannot be reached", Duration.ofSeconds(2)));

        assertThatThrownBy(() -> h.manager.start("cam")).isInstanceOf(NotOwnerException.class)
                .hasMessage("channel cam cannot start here now: Redis cannot be reached");
        assertThat(h.launcher.launched()).isEmpty();
    }

    @Test
    void aRunningStreamIsJoinedWithoutAskingAgain() throws Exception {
        h.manager.start("cam");
        int before = asked.get();

        StartResult again = h.manager.start("cam");

        assertThat(again.alreadyRunning()).isTrue();
        assertThat(asked.get()).isEqualTo(before);
        assertThat(h.launcher.launched()).hasSize(1);
    }

    @Test
    void anAlwaysOnChannelOwnedElsewhereIsLeftToItsOwner() {
        answers.put("lobby", new Ownership.Claim.Elsewhere("node-b", "http://10.0.0.2:8080"));

        h.manager.tick();

        assertThat(h.manager.find("lobby")).isEmpty();
        assertThat(h.launcher.launched()).isEmpty();
    }
}
