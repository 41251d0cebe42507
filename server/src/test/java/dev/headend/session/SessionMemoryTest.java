package dev.headend.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What sessions cost and that ended ones cost nothing: kicked and ghost sessions are collected
 * (nothing in the registry holds them), and the heap a thousand sessions of each protocol take
 * is measured (roughly: with GC, over ten thousand sessions) and bounded generously.
 */
class SessionMemoryTest {
    private static final int SESSIONS = 10_000;
    /** A generous bound: a session is a few hundred bytes; the bound only catches a gross leak. */
    private static final long MAX_BYTES_PER_THOUSAND = 4L * 1024 * 1024;

    private final ManualTime time = new ManualTime();
    private final FakeLauncher launcher = new FakeLauncher();
    private final SessionRegistry sessions = new SessionRegistry(time, new SessionSettings(Duration.ofSeconds(15), 0,
            Duration.ofSeconds(300), Duration.ofSeconds(60)));
    private final StreamManager streams = new StreamManager(new ChannelCatalog(List.of(
            TestChannels.onDemand("a", "test:"))),
            new StreamContext(launcher, new RestartPolicy(RestartPolicy.Config.defaults(), time),
                    new FakeSlates(), time, time, Runnable::run, new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20),
                            Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(24),
                            new Failover(3, Duration.ofSeconds(300), Duration.ofSeconds(300))), StreamListener.NONE));

    @Test
    void kickedAndGhostSessionsAreCollected() throws Exception {
        LiveStream a = streams.start("a").stream();
        WeakReference<ViewerSession> kicked = new WeakReference<>(
                sessions.open(sessions.issue("a"), ViewerSession.Kind.TS, a, "127.0.0.1", "VLC"));
        WeakReference<ViewerSession> ghost = new WeakReference<>(
                sessions.open(sessions.issue("a"), ViewerSession.Kind.HLS, a, "127.0.0.1", "hls.js"));
        sessions.kick(kicked.get().id());
        time.advance(Duration.ofMillis(1));
        launcher.last().segments(1);
        sessions.expireIdle();
        time.advance(a.targetDuration().multipliedBy(3).plus(Duration.ofSeconds(16)));
        assertThat(sessions.expireIdle()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return kicked.get() == null && ghost.get() == null;
        });
        assertThat(sessions.size()).isZero();
        assertThat(a.viewers()).isZero();
    }

    @Test
    void aThousandSessionsOfEachProtocolTakeLittleHeap() throws Exception {
        LiveStream a = streams.start("a").stream();
        openAndKick(a, ViewerSession.Kind.TS); // warm-up: class loading, JIT, the token MAC
        for (ViewerSession.Kind kind : ViewerSession.Kind.values()) {
            long perThousand = openAndKick(a, kind) * 1000 / SESSIONS;
            System.out.printf("%s: about %d KB of heap per 1,000 sessions%n", kind, perThousand / 1024);
            assertThat(perThousand).isLessThan(MAX_BYTES_PER_THOUSAND);
            assertThat(sessions.size()).isZero();
        }
    }

    /** Opens {@link #SESSIONS} sessions of {@code kind} (own address and user agent each); returns their heap. */
    private long openAndKick(LiveStream a, ViewerSession.Kind kind) {
        long before = settledHeap();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            ViewerSession s = sessions.open(sessions.issue("a"), kind, a, "192.168." + (i / 250) + "." + (i % 250),
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0." + i);
            sessions.delivered(s, 188 * 7);
            ids.add(s.id());
        }
        long used = settledHeap() - before;
        ids.forEach(sessions::kick);
        return used;
    }

    /** Heap in use after garbage collection has had its say. */
    private static long settledHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
