package dev.headend.support;

import dev.headend.channel.AudioMode;
import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.channel.SlateLook;
import dev.headend.channel.Source;
import dev.headend.channel.Sources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Channel definitions for tests that do not read a configuration file. */
public final class TestChannels {
    /** A small transcode, as the integration tests use. */
    public static final OutputProfile SMALL = new OutputProfile.H264(Optional.of(320), Optional.of(180),
            Optional.of(25), 300, "ultrafast", AudioMode.AAC);
    public static final SlateLook SLATE = SlateLook.of(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT);
    public static final Duration LINGER = Duration.ofSeconds(10);

    private TestChannels() {}

    /** An on-demand channel reading {@code urls} in failover order, transcoded small. */
    public static Channel onDemand(String id, String... urls) {
        return new Channel(id, "Channel " + id, Optional.empty(), Optional.empty(), Optional.empty(), sources(id, urls),
                SMALL, true, LINGER, SLATE, Optional.empty(), Optional.empty());
    }

    /** An always-on channel reading {@code urls} in failover order, transcoded small. */
    public static Channel alwaysOn(String id, String... urls) {
        return new Channel(id, "Channel " + id, Optional.empty(), Optional.empty(), Optional.empty(), sources(id, urls),
                SMALL, false, LINGER, SLATE, Optional.empty(), Optional.empty());
    }

    /** The same channel with another name (which a test pattern draws: its pipeline changes). */
    public static Channel renamed(Channel c, String name) {
        return new Channel(c.id(), name, c.number(), c.group(), c.logo(), c.sources(), c.profile(), c.onDemand(),
                c.linger(), c.slate(), c.throttle(), c.tsStartSlate());
    }

    /** The same channel with another number (guide data only: its pipeline stays). */
    public static Channel numbered(Channel c, int number) {
        return new Channel(c.id(), c.name(), Optional.of(number), c.group(), c.logo(), c.sources(), c.profile(),
                c.onDemand(), c.linger(), c.slate(), c.throttle(), c.tsStartSlate());
    }

    /** The same channel with another output profile. */
    public static Channel withProfile(Channel c, OutputProfile profile) {
        return new Channel(c.id(), c.name(), c.number(), c.group(), c.logo(), c.sources(), profile, c.onDemand(),
                c.linger(), c.slate(), c.throttle(), c.tsStartSlate());
    }

    /** The same channel reading other sources. */
    public static Channel withSources(Channel c, String... urls) {
        return new Channel(c.id(), c.name(), c.number(), c.group(), c.logo(), sources(c.id(), urls), c.profile(),
                c.onDemand(), c.linger(), c.slate(), c.throttle(), c.tsStartSlate());
    }

    /** The same channel lingering {@code linger} after its last viewer. */
    public static Channel lingering(Channel c, Duration linger) {
        return new Channel(c.id(), c.name(), c.number(), c.group(), c.logo(), c.sources(), c.profile(), c.onDemand(),
                linger, c.slate(), c.throttle(), c.tsStartSlate());
    }

    private static List<Source> sources(String id, String... urls) {
        return Arrays.stream(urls).map(u -> Sources.parse(id, u, Path.of("/"))).toList();
    }
}
