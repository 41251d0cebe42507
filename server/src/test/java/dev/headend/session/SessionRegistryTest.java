package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.ChannelCatalog;
import dev.headend.resilience.RestartPolicy;
import dev.headend.stream.Failover;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamManager;
import dev.headend.stream.StreamSettings;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.ManualTime;
import dev.headend.support.TestChannels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Viewer sessions counted on their streams, with a manual clock for idle expiry. */
class SessionRegistryTest {
    private final ManualTime time = new ManualTime();
    private final SessionRegistry sessions = new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15)));
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("a", "test:"), TestChannels.onDemand("b", "test:"))),
            new StreamContext(new FakeLauncher(), new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, 6, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300)))));

    private LiveStream stream(String id) throws Exception {
        return streams.start(id).stream();
    }

    @Test
    void aSessionCountsAsOneViewerFromOpenUntilClose() throws Exception {
        LiveStream a = stream("a");
        ViewerSession s = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.TS, a, "127.0.0.1", "VLC");

        assertThat(a.viewers()).isEqualTo(1);
        assertThat(sessions.find(s.token())).contains(s);
        assertThat(s.startedAt()).isEqualTo(ManualTime.START_WALL);

        sessions.close(s);
        sessions.close(s);

        assertThat(a.viewers()).as("closed once, counted once").isZero();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void openingATokenTwiceGivesTheSameSessionAndOneViewer() throws Exception {
        LiveStream a = stream("a");
        String token = SessionRegistry.newToken();

        ViewerSession first = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession second = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(second).isSameAs(first);
        assertThat(a.viewers()).isEqualTo(1);
    }

    @Test
    void anHlsSessionWithoutRequestsForTheIdleTimeEnds() throws Exception {
        LiveStream a = stream("a");
        ViewerSession hls = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession ts = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        time.advance(Duration.ofSeconds(10));
        sessions.touch(hls);
        time.advance(Duration.ofSeconds(15));

        assertThat(sessions.expireIdle()).isZero();

        time.advance(Duration.ofMillis(1));
        assertThat(sessions.expireIdle()).isEqualTo(1);
        assertThat(sessions.find(hls.token())).isEmpty();
        assertThat(sessions.find(ts.token())).as("a TS session lasts as long as its connection").contains(ts);
        assertThat(a.viewers()).isEqualTo(1);
    }

    @Test
    void movingASessionMovesItsViewer() throws Exception {
        LiveStream a = stream("a");
        LiveStream b = stream("b");
        ViewerSession s = sessions.open(SessionRegistry.newToken(), ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        sessions.move(s, b);

        assertThat(s.stream()).isSameAs(b);
        assertThat(a.viewers()).isZero();
        assertThat(b.viewers()).isEqualTo(1);
        sessions.close(s);
        assertThat(b.viewers()).isZero();
    }

    @Test
    void tokensAreUnguessable128BitValues() {
        String token = SessionRegistry.newToken();

        assertThat(token).matches(SessionRegistry.TOKEN);
        assertThat(SessionRegistry.newToken()).isNotEqualTo(token);
    }
}
