package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.ChannelCatalog;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.Failover;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamListener;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSettings;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.ManualTime;
import dev.headend.support.TestChannels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry and its ledger (the cluster's tallies): a session is counted there before it is
 * held, a refusal there changes nothing, a closed session stops counting there; relayed sessions
 * (a channel another node runs) watch no stream of this node and end by their own media.
 */
class SessionLedgerTest {
    private static final SessionSettings SETTINGS = new SessionSettings(Duration.ofSeconds(15), 2,
            Duration.ofSeconds(300), Duration.ofSeconds(60));

    /** A ledger shared "with other nodes": counts per channel, with a limit applied by count. */
    private static final class FakeLedger implements SessionLedger {
        final Map<String, List<String>> counted = new HashMap<>();
        int elsewhere;
        int reservations;

        @Override
        public synchronized boolean reserve(String channelId, String sessionId, int limit) {
            reservations++;
            List<String> ids = counted.computeIfAbsent(channelId, c -> new ArrayList<>());
            if (limit > 0 && ids.size() + elsewhere >= limit) {
                return false;
            }
            ids.add(sessionId);
            return true;
        }

        @Override
        public synchronized boolean full(String channelId, int limit) {
            return limit > 0 && counted.getOrDefault(channelId, List.of()).size() + elsewhere >= limit;
        }

        @Override
        public synchronized void release(String channelId, String sessionId) {
            counted.getOrDefault(channelId, new ArrayList<>()).remove(sessionId);
        }
    }

    private final ManualTime time = new ManualTime();
    private final FakeLedger ledger = new FakeLedger();
    private final List<String> started = new ArrayList<>();
    private final SessionRegistry sessions = new SessionRegistry(time, SETTINGS, new SessionListener() {
        @Override
        public void started(ViewerSession session) {
            started.add(session.id());
        }

        @Override
        public void ended(ViewerSession session) {}
    }, ledger);
    private final FakeLauncher launcher = new FakeLauncher();
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("a", "test:"))),
            new StreamContext(launcher, new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))), StreamListener.NONE));

    private LiveStream stream() throws Exception {
        return streams.start("a").stream();
    }

    @Test
    void aSessionIsCountedInTheLedgerUntilItCloses() throws Exception {
        LiveStream a = stream();
        ViewerSession s = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(ledger.counted.get("a")).containsExactly(s.id());
        assertThat(sessions.countedIds()).isEqualTo(Map.of("a", List.of(s.id())));

        sessions.close(s);

        assertThat(ledger.counted.get("a")).isEmpty();
        assertThat(sessions.countedIds()).isEmpty();
    }

    @Test
    void theLedgersRefusalIsTheLimitErrorAndChangesNothing() throws Exception {
        LiveStream a = stream();
        ledger.elsewhere = 2; // the other nodes hold the channel's two places

        assertThatThrownBy(() -> sessions.admit("a")).isInstanceOf(SessionLimitException.class)
                .hasMessageContaining("channel a already has its 2 viewer sessions");
        assertThatThrownBy(() -> sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null))
                .isInstanceOf(SessionLimitException.class)
                .hasMessageContaining("channel a already has its 2 viewer sessions");
        assertThatThrownBy(() -> sessions.openRelayed(sessions.issue("a"), ViewerSession.Kind.HLS, "a", "127.0.0.1",
                null)).isInstanceOf(SessionLimitException.class);

        assertThat(sessions.size()).isZero();
        assertThat(sessions.count("a")).isZero();
        assertThat(a.viewers()).isZero();
        assertThat(started).isEmpty();
        assertThat(ledger.counted.get("a")).isEmpty();
    }

    @Test
    void theLocalLimitRefusesBeforeTheLedgerIsAsked() throws Exception {
        LiveStream a = stream();
        sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        int asked = ledger.reservations;

        assertThatThrownBy(() -> sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null))
                .isInstanceOf(SessionLimitException.class);

        assertThat(ledger.reservations).isEqualTo(asked);
        assertThat(ledger.counted.get("a")).hasSize(2);
    }

    @Test
    void openingAnOpenTokenAgainCountsNothingMore() throws Exception {
        LiveStream a = stream();
        String token = sessions.issue("a");
        ViewerSession first = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        ViewerSession again = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(again).isSameAs(first);
        assertThat(ledger.counted.get("a")).containsExactly(first.id());
    }

    @Test
    void aReopenedSessionIsNotCheckedAgainstTheLedger() throws Exception {
        LiveStream a = stream();
        ledger.elsewhere = 2;

        ViewerSession s = sessions.reopen(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(sessions.find(s.token())).contains(s);
        assertThat(ledger.reservations).as("counted at the next renewal, never waited for on an I/O thread")
                .isZero();
        assertThat(sessions.countedIds()).isEqualTo(Map.of("a", List.of(s.id())));
    }

    @Test
    void aRelayedSessionWatchesNoStreamHereAndCountsInTheLedger() {
        ViewerSession s = sessions.openRelayed(sessions.issue("a"), ViewerSession.Kind.HLS, "a", "10.0.0.9", "hls.js");

        assertThat(s.live()).isEmpty();
        assertThatThrownBy(s::stream).isInstanceOf(IllegalStateException.class);
        assertThat(sessions.count("a")).isOne();
        assertThat(ledger.counted.get("a")).containsExactly(s.id());
        assertThatThrownBy(() -> sessions.openRelayed("made-up-token-of-22-chars", ViewerSession.Kind.HLS, "a",
                "10.0.0.9", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelayedHlsSessionWithoutSegmentsEndsAndItsTokenIsDormant() {
        ViewerSession s = sessions.openRelayed(sessions.issue("a"), ViewerSession.Kind.HLS, "a", "10.0.0.9", null);
        time.advance(SessionRegistry.RELAY_QUIET.plus(SETTINGS.idle()));
        sessions.delivered(s, 1000);
        time.advance(SessionRegistry.RELAY_QUIET.plus(SETTINGS.idle()));

        assertThat(sessions.expireIdle()).as("a segment within the bound keeps it").isZero();

        time.advance(Duration.ofMillis(1));
        assertThat(sessions.expireIdle()).isOne();
        assertThat(sessions.find(s.token())).isEmpty();
        assertThat(sessions.dormant(s.token())).isTrue();
        assertThat(ledger.counted.get("a")).isEmpty();
    }

    @Test
    void aRelayedSessionMovesToTheStreamWhenThisNodeRunsTheChannel() throws Exception {
        ViewerSession s = sessions.openRelayed(sessions.issue("a"), ViewerSession.Kind.HLS, "a", "10.0.0.9", null);
        LiveStream a = stream();

        sessions.move(s, a);

        assertThat(s.stream()).isSameAs(a);
        assertThat(a.viewers()).isOne();
        sessions.close(s);
        assertThat(a.viewers()).isZero();
    }

    @Test
    void relayViewersAreCountedHereOnly() {
        sessions.openRelay("cam", "127.0.0.1", null);

        assertThat(ledger.reservations).isZero();
        assertThat(sessions.countedIds()).isEmpty();
    }
}
