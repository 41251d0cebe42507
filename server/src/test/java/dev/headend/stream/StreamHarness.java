package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.channel.ChannelTemplate;
import dev.headend.resilience.RestartPolicy;
import dev.headend.support.FakeLauncher;
import dev.headend.support.FakeSlates;
import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Streams with everything around them faked: the launcher of pretend processes, slates without
 * FFmpeg, a manual clock and scheduler, and work that would run on a thread of its own run on
 * the test's thread. Deterministic: nothing happens unless the test does it.
 */
final class StreamHarness {
    static final StreamSettings SETTINGS = new StreamSettings(1, 6, 8, 1, Duration.ofSeconds(20), Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofHours(24), new Failover(3, Duration.ofSeconds(300),
                    Duration.ofSeconds(300)));

    final ManualTime time = new ManualTime();
    final FakeLauncher launcher = new FakeLauncher();
    final FakeSlates slates = new FakeSlates();
    final RestartPolicy policy;
    /** Every change the streams reported, in order. */
    final List<StreamChange> changes = new CopyOnWriteArrayList<>();
    final StreamManager manager;

    StreamHarness(List<Channel> channels) {
        this(channels, RestartPolicy.Config.defaults());
    }

    StreamHarness(List<Channel> channels, RestartPolicy.Config restarts) {
        this(channels, List.of(), restarts);
    }

    StreamHarness(List<Channel> channels, List<ChannelTemplate> templates) {
        this(channels, templates, RestartPolicy.Config.defaults());
    }

    /** @param ownership asked before each stream is created (a cluster node's leases) */
    StreamHarness(List<Channel> channels, Ownership ownership) {
        this(channels, List.of(), RestartPolicy.Config.defaults(), ownership);
    }

    private StreamHarness(List<Channel> channels, List<ChannelTemplate> templates, RestartPolicy.Config restarts) {
        this(channels, templates, restarts, Ownership.SINGLE_NODE);
    }

    private StreamHarness(List<Channel> channels, List<ChannelTemplate> templates, RestartPolicy.Config restarts,
            Ownership ownership) {
        this(channels, templates, restarts, ownership, PlaylistContinuity.SINGLE_NODE);
    }

    /** @param continuity asked where each stream's numbering continues (a cluster node's recorded numbering) */
    StreamHarness(List<Channel> channels, PlaylistContinuity continuity) {
        this(channels, List.of(), RestartPolicy.Config.defaults(), Ownership.SINGLE_NODE, continuity);
    }

    private StreamHarness(List<Channel> channels, List<ChannelTemplate> templates, RestartPolicy.Config restarts,
            Ownership ownership, PlaylistContinuity continuity) {
        this.policy = new RestartPolicy(restarts, time);
        this.manager = new StreamManager(new ChannelCatalog(channels), templates,
                new StreamContext(launcher, policy, slates, time, time, Runnable::run, SETTINGS, changes::add),
                ownership, continuity);
    }

    /** Starts the channel's stream (or joins it), failing the test on an expected refusal. */
    LiveStream start(String id) {
        try {
            return manager.start(id).stream();
        } catch (UnknownChannelException | CircuitOpenException | ShuttingDownException | NotOwnerException e) {
            throw new AssertionError(e);
        }
    }

    /** Lets {@code d} pass, running the manager's half-second checks on the way as the server does. */
    void run(Duration d) {
        Duration tick = Duration.ofMillis(500);
        for (Duration left = d; !left.isNegative() && !left.isZero(); left = left.minus(tick)) {
            Duration step = left.compareTo(tick) < 0 ? left : tick;
            time.advance(step);
            manager.tick();
        }
    }
}
