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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Viewer sessions counted on their streams, with a manual clock for idle expiry. */
class SessionRegistryTest {
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private final ManualTime time = new ManualTime();
    private final SessionRegistry sessions = new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15)));
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("a", "test:"), TestChannels.onDemand("b", "test:"))),
            new StreamContext(new FakeLauncher(), new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, 6, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))), StreamListener.NONE));

    private LiveStream stream(String id) throws Exception {
        return streams.start(id).stream();
    }

    @Test
    void aSessionCountsAsOneViewerFromOpenUntilClose() throws Exception {
        LiveStream a = stream("a");
        ViewerSession s = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", "VLC");

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
        String token = sessions.issue("a");

        ViewerSession first = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession second = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(second).isSameAs(first);
        assertThat(a.viewers()).isEqualTo(1);
    }

    @Test
    void anHlsSessionWithoutRequestsForTheIdleTimeEnds() throws Exception {
        LiveStream a = stream("a");
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
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
        ViewerSession s = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        sessions.move(s, b);

        assertThat(s.stream()).isSameAs(b);
        assertThat(a.viewers()).isZero();
        assertThat(b.viewers()).isEqualTo(1);
        sessions.close(s);
        assertThat(b.viewers()).isZero();
    }

    @Test
    void tokensAreUnguessableAndVerifyOnlyForTheirChannel() {
        String token = sessions.issue("a");

        assertThat(token).matches(SessionRegistry.TOKEN);
        assertThat(sessions.issue("a")).isNotEqualTo(token);
        assertThat(sessions.issued(token, "a")).isTrue();
        assertThat(sessions.issued(token, "b")).as("issued for another channel").isFalse();
        assertThat(new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15))).issued(token, "a"))
                .as("issued by another server run").isFalse();
    }

    @Test
    void aTokenTheServerDidNotIssueOpensNoSessionAndCountsNoViewer() throws Exception {
        LiveStream a = stream("a");
        String madeUp = randomToken();
        String issued = sessions.issue("a");
        // 43 characters carry 258 bits for 256: setting an unused bit spells the same bytes differently
        int last = BASE64URL.indexOf(issued.charAt(issued.length() - 1));
        String respelled = issued.substring(0, issued.length() - 1) + BASE64URL.charAt(last ^ 1);

        for (String token : List.of(madeUp, respelled, sessions.issue("b"))) {
            assertThat(token).matches(SessionRegistry.TOKEN);
            assertThat(sessions.issued(token, "a")).as(token).isFalse();
            assertThatThrownBy(() -> sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(sessions.size()).isZero();
        assertThat(a.viewers()).isZero();
    }

    @Test
    void anExpiredSessionsTokenOpensItAgainAsOneViewer() throws Exception {
        LiveStream a = stream("a");
        String token = sessions.issue("a");
        sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        time.advance(Duration.ofSeconds(16));
        assertThat(sessions.expireIdle()).isEqualTo(1);
        assertThat(a.viewers()).isZero();

        ViewerSession again = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(sessions.find(token)).contains(again);
        assertThat(a.viewers()).as("one token, one viewer").isEqualTo(1);
    }

    /** A well-formed token the server never issued: 32 random bytes, base64url. */
    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
