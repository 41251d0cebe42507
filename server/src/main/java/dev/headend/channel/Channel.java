package dev.headend.channel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A channel definition, validated at load time. {@code sources} is never empty: the first is
 * the primary, the others are failover alternatives in order. {@code throttle} is the channel's
 * own pacing of continuous-TS viewers (none: the server's {@code throttle_mode});
 * {@code tsStartSlate} whether a continuous-TS viewer who tunes in while the channel cannot
 * start gets the slate while it is retried (none: the server's {@code ts_start_slate});
 * {@code guide} its programmes in the XMLTV guide (none: placeholder blocks).
 */
public record Channel(
        String id,
        String name,
        Optional<Integer> number,
        Optional<String> group,
        Optional<String> logo,
        List<Source> sources,
        OutputProfile profile,
        boolean onDemand,
        Duration linger,
        SlateLook slate,
        Optional<ThrottleMode> throttle,
        Optional<Boolean> tsStartSlate,
        Optional<ChannelGuide> guide) {

    public Channel {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("channel " + id + " needs a source");
        }
        sources = List.copyOf(sources);
        Objects.requireNonNull(guide, "guide");
    }

    /** A channel without a guide. */
    public Channel(String id, String name, Optional<Integer> number, Optional<String> group, Optional<String> logo,
            List<Source> sources, OutputProfile profile, boolean onDemand, Duration linger, SlateLook slate,
            Optional<ThrottleMode> throttle, Optional<Boolean> tsStartSlate) {
        this(id, name, number, group, logo, sources, profile, onDemand, linger, slate, throttle, tsStartSlate,
                Optional.empty());
    }

    /** The primary source. */
    public Source source() {
        return sources.getFirst();
    }

    /**
     * True when a pipeline built for this definition is also right for {@code other}: same
     * sources, same output profile and, when a source is a test pattern (which draws the
     * channel's name), the same name. Other fields (number, group, logo, policies, slate, guide) can
     * change under a running pipeline.
     */
    public boolean samePipeline(Channel other) {
        boolean drawsName = sources.stream().anyMatch(s -> s instanceof Source.TestPattern);
        return sources.equals(other.sources) && profile.equals(other.profile)
                && (!drawsName || name.equals(other.name));
    }

    /** Channel ids are URL- and file-name-safe. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
