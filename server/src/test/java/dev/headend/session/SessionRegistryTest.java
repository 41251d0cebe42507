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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Viewer sessions counted on their streams, with a manual clock for idle expiry. */
class SessionRegistryTest {
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SessionSettings SETTINGS = new SessionSettings(Duration.ofSeconds(15), 50,
            Duration.ofSeconds(300), Duration.ofSeconds(60));
    private final ManualTime time = new ManualTime();
    private final SessionRegistry sessions = new SessionRegistry(time, SETTINGS);
    private final FakeLauncher launcher = new FakeLauncher();
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("a", "test:"), TestChannels.onDemand("b", "test:"))),
            new StreamContext(launcher, new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))), StreamListener.NONE));

    private LiveStream stream(String id) throws Exception {
        return streams.start(id).stream();
    }

    /** A moment later, the stream's pipeline closes a segment, and the expiry check sees it. */
    private void newSegment() {
        time.advance(Duration.ofMillis(1));
        launcher.last().segments(1);
        sessions.expireIdle();
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
    void anHlsSessionWithoutSegmentRequestsForThreeTargetDurationsPlusTheIdleTimeEnds() throws Exception {
        LiveStream a = stream("a");
        Duration ghost = a.targetDuration().multipliedBy(3).plus(Duration.ofSeconds(15));
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        time.advance(Duration.ofSeconds(10));
        sessions.delivered(hls, 1000);
        sessions.delivered(ts, 1000);
        newSegment();
        time.advance(ghost);

        assertThat(sessions.expireIdle()).isZero();
        assertThat(hls.state()).as("quiet for 3 target durations").isEqualTo(SessionState.IDLE);

        time.advance(Duration.ofMillis(1));
        assertThat(sessions.expireIdle()).isEqualTo(1);
        assertThat(sessions.find(hls.token())).isEmpty();
        assertThat(sessions.byId(hls.id())).as("the registry holds no ended session").isEmpty();
        assertThat(hls.state()).isEqualTo(SessionState.DISCONNECTED);
        assertThat(sessions.find(ts.token())).as("a TS session lasts as long as its connection").contains(ts);
        assertThat(ts.state()).isEqualTo(SessionState.IDLE);
        assertThat(a.viewers()).isEqualTo(1);
    }

    @Test
    void anHlsSessionThatRequestedEverySegmentThereIsStaysWhileTheStreamStalls() throws Exception {
        LiveStream a = stream("a");
        Duration ghost = a.targetDuration().multipliedBy(3).plus(Duration.ofSeconds(15));
        newSegment();
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        sessions.delivered(hls, 1000);

        time.advance(ghost.multipliedBy(4));
        assertThat(sessions.expireIdle()).as("nothing new to request: up to date").isZero();
        assertThat(hls.state()).isEqualTo(SessionState.IDLE);
        assertThat(a.viewers()).isEqualTo(1);

        newSegment();
        time.advance(ghost);
        assertThat(sessions.expireIdle()).as("the new segment left unrequested for the ghost time").isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(sessions.expireIdle()).isEqualTo(1);
        assertThat(a.viewers()).isZero();
    }

    @Test
    void aSegmentBringsAnIdleSessionBackToActive() throws Exception {
        LiveStream a = stream("a");
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        assertThat(hls.state()).isEqualTo(SessionState.CREATED);
        sessions.delivered(hls, 500);
        assertThat(hls.state()).isEqualTo(SessionState.ACTIVE);
        time.advance(a.targetDuration().multipliedBy(3).plusMillis(1));
        sessions.expireIdle();
        assertThat(hls.state()).isEqualTo(SessionState.IDLE);

        sessions.delivered(hls, 700);

        assertThat(hls.state()).isEqualTo(SessionState.ACTIVE);
        assertThat(hls.bytesSent()).isEqualTo(1200);
        assertThat(hls.lastActivity()).isEqualTo(time.now());
        assertThat(sessions.entered(SessionState.ACTIVE)).isEqualTo(2);
        assertThat(sessions.entered(SessionState.IDLE)).isEqualTo(1);
    }

    @Test
    void aViewerThatReceivesNothingForTheIdleTimeoutIsEndedAndDisconnected() throws Exception {
        LiveStream a = stream("a");
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        AtomicInteger closed = new AtomicInteger();
        ts.onDisconnect(reason -> closed.incrementAndGet());
        time.advance(Duration.ofSeconds(300));
        assertThat(sessions.cleanup()).isZero();

        time.advance(Duration.ofMillis(1));

        assertThat(sessions.cleanup()).isEqualTo(1);
        assertThat(closed).hasValue(1);
        assertThat(sessions.size()).isZero();
        assertThat(a.viewers()).isZero();
    }

    @Test
    void repeatedFailedDeliveriesEndTheSessionAndOneSuccessResetsTheCount() throws Exception {
        LiveStream a = stream("a");
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        sessions.failed(hls);
        sessions.failed(hls);
        sessions.delivered(hls, 10);
        sessions.failed(hls);
        sessions.failed(hls);
        assertThat(hls.state()).isEqualTo(SessionState.ERROR);
        assertThat(sessions.size()).isEqualTo(1);

        sessions.failed(hls);

        assertThat(hls.errors()).isEqualTo(5);
        assertThat(hls.state()).isEqualTo(SessionState.DISCONNECTED);
        assertThat(sessions.size()).isZero();
        assertThat(a.viewers()).isZero();
    }

    @Test
    void theViewerOverTheLimitIsRefusedAndNothingChanges() throws Exception {
        LiveStream a = stream("a");
        LiveStream b = stream("b");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String token = sessions.issue("a");
            tokens.add(token);
            sessions.open(token, i % 2 == 0 ? ViewerSession.Kind.HLS : ViewerSession.Kind.TS, a, "10.0.0." + i, null);
        }
        String fiftyFirst = sessions.issue("a");

        assertThatThrownBy(() -> sessions.admit("a")).isInstanceOf(SessionLimitException.class);
        assertThatThrownBy(() -> sessions.open(fiftyFirst, ViewerSession.Kind.HLS, a, "10.0.1.1", null))
                .isInstanceOf(SessionLimitException.class).hasMessageContaining("50");
        assertThat(sessions.size()).isEqualTo(50);
        assertThat(sessions.count("a")).isEqualTo(50);
        assertThat(a.viewers()).isEqualTo(50);
        assertThat(sessions.find(fiftyFirst)).isEmpty();
        assertThat(sessions.entered(SessionState.CREATED)).isEqualTo(50);

        ViewerSession returning = sessions.open(tokens.get(0), ViewerSession.Kind.HLS, a, "10.0.0.0", null);
        assertThat(returning.token()).as("a viewer with a session is let in, not counted again")
                .isEqualTo(tokens.get(0));
        assertThat(a.viewers()).isEqualTo(50);
        sessions.open(sessions.issue("b"), ViewerSession.Kind.TS, b, "10.0.1.1", null);
        assertThat(b.viewers()).as("the limit is per channel").isEqualTo(1);

        sessions.close(returning);
        ViewerSession admitted = sessions.open(fiftyFirst, ViewerSession.Kind.HLS, a, "10.0.1.1", null);
        assertThat(sessions.find(fiftyFirst)).contains(admitted);
        assertThat(a.viewers()).isEqualTo(50);
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        SessionRegistry unlimited = new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15), 0,
                Duration.ofSeconds(300), Duration.ofSeconds(60)));
        LiveStream a = stream("a");
        for (int i = 0; i < 200; i++) {
            unlimited.open(unlimited.issue("a"), ViewerSession.Kind.TS, a, "10.0.0.1", null);
        }
        assertThat(unlimited.count("a")).isEqualTo(200);
    }

    @Test
    void aKickedSessionEndsAtOnceItsTokenStopsWorkingAndNothingHoldsIt() throws Exception {
        LiveStream a = stream("a");
        String token = sessions.issue("a");
        ViewerSession hls = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        AtomicInteger closed = new AtomicInteger();
        ts.onDisconnect(reason -> closed.incrementAndGet());

        assertThat(sessions.kick(hls.id())).contains(hls);
        assertThat(sessions.kick(ts.id())).contains(ts);

        assertThat(closed).as("the TS connection is closed at once").hasValue(1);
        assertThat(sessions.size()).isZero();
        assertThat(sessions.byId(hls.id())).isEmpty();
        assertThat(a.viewers()).isZero();
        assertThat(sessions.kicked(token)).isTrue();
        assertThat(sessions.kicked(ts.token())).as("a TS session's token never comes back: nothing is kept").isFalse();
        assertThatThrownBy(() -> sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null))
                .isInstanceOf(SessionEndedException.class);
        assertThat(sessions.size()).isZero();
        assertThat(sessions.kick(hls.id())).as("kicked once").isEmpty();
    }

    @Test
    void aTsSessionMeasuresItsDeliveryRate() throws Exception {
        LiveStream a = stream("a");
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        ViewerSession hls = sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        for (int i = 0; i < 4; i++) {
            time.advance(Duration.ofMillis(500));
            sessions.delivered(ts, 50_000);
        }
        assertThat(ts.deliveryRateBps(time.now())).contains(100_000L);
        assertThat(hls.deliveryRateBps(time.now())).isEmpty();

        time.advance(Duration.ofSeconds(10));
        assertThat(ts.deliveryRateBps(time.now())).as("nothing sent lately").contains(0L);
    }

    @Test
    void aTsViewersJumpsToTheLivePointAreCountedInItsSessionAndInTheTotal() throws Exception {
        LiveStream a = stream("a");
        ViewerSession ts = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);
        ViewerSession other = sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);

        sessions.skipped(ts);
        sessions.skipped(ts);

        assertThat(ts.skips()).isEqualTo(2);
        assertThat(other.skips()).isZero();
        assertThat(sessions.skips()).isEqualTo(2);
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
        assertThat(new SessionRegistry(time, SETTINGS).issued(token, "a"))
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
        newSegment();
        time.advance(a.targetDuration().multipliedBy(3).plus(Duration.ofSeconds(16)));
        assertThat(sessions.expireIdle()).isEqualTo(1);
        assertThat(a.viewers()).isZero();
        assertThat(sessions.dormant(token)).as("polls with it open nothing; a segment request reopens").isTrue();

        ViewerSession again = sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);

        assertThat(sessions.find(token)).contains(again);
        assertThat(a.viewers()).as("one token, one viewer").isEqualTo(1);
        assertThat(sessions.dormant(token)).isFalse();
    }

    @Test
    void aDormantTokenIsForgottenAfterTheIdleTimeout() throws Exception {
        LiveStream a = stream("a");
        String token = sessions.issue("a");
        sessions.open(token, ViewerSession.Kind.HLS, a, "127.0.0.1", null);
        newSegment();
        time.advance(a.targetDuration().multipliedBy(3).plus(Duration.ofSeconds(16)));
        sessions.expireIdle();
        time.advance(Duration.ofSeconds(300));
        sessions.cleanup();
        assertThat(sessions.dormant(token)).isTrue();

        time.advance(Duration.ofMillis(1));
        sessions.cleanup();

        assertThat(sessions.dormant(token)).isFalse();
    }

    /** A well-formed token the server never issued: 32 random bytes, base64url. */
    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void relayViewersAreSessionsOfTheirStreamUnderTheSameLimitAndRules() throws Exception {
        SessionRegistry two = new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15), 2,
                Duration.ofSeconds(300), Duration.ofSeconds(60)));
        LiveStream a = stream("a");
        ViewerSession ws = two.openRelay("a", "127.0.0.1", "Firefox");
        ViewerSession all = two.openRelay(SessionRegistry.ALL_STREAMS, "127.0.0.1", null);
        two.open(two.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", null);

        assertThat(ws.kind().label()).isEqualTo("ws");
        assertThat(ws.channelId()).isEqualTo("a");
        assertThat(a.viewers()).as("relay viewers do not hold a channel's stream").isEqualTo(1);
        assertThatThrownBy(ws::stream).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> two.openRelay("a", "127.0.0.1", null)).isInstanceOf(SessionLimitException.class)
                .hasMessageContaining("channel a already has its 2 viewer sessions");
        assertThat(two.size()).as("nothing changed").isEqualTo(3);
        assertThat(two.count(SessionRegistry.ALL_STREAMS)).isEqualTo(1);

        two.delivered(ws, 5000);
        assertThat(ws.state()).isEqualTo(SessionState.ACTIVE);
        assertThat(ws.bytesSent()).isEqualTo(5000);
        assertThat(ws.deliveryRateBps(time.now())).isEmpty();
        time.advance(SessionRegistry.RELAY_QUIET.plusMillis(1));
        two.expireIdle();
        assertThat(ws.state()).as("no frame for a while").isEqualTo(SessionState.IDLE);
        assertThat(two.size()).as("only HLS sessions end for want of segment requests").isEqualTo(3);

        List<String> reasons = new ArrayList<>();
        ws.onDisconnect(reasons::add);
        all.onDisconnect(reasons::add);
        assertThat(two.kick(ws.id())).contains(ws);
        assertThat(two.kicked(ws.token())).as("a relay session's token never comes back: nothing is kept").isFalse();
        time.advance(Duration.ofSeconds(301));
        assertThat(two.cleanup()).isEqualTo(2);
        assertThat(reasons).containsExactly(SessionRegistry.KICKED, "no media for 300 s (idle_timeout_seconds)");
        assertThat(two.size()).isZero();
        assertThat(a.viewers()).isZero();
    }
}
