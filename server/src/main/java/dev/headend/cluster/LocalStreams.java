package dev.headend.cluster;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The streams running on this node, as the cluster node needs them (the root adapts the stream manager). */
public interface LocalStreams {
    /** The channels whose stream runs here (not yet ended). */
    Set<String> running();

    /** Viewers of every stream here. */
    int viewers();

    /** Stops the channel's stream here, when it runs. */
    void stop(String channelId, String reason);

    /**
     * Where the channel's playlist numbering stands here: its running stream's (with the segments
     * its playlist lists), else what its last stream here left (no segments); empty when none ran
     * here. The default knows of none.
     */
    default Optional<Numbering> numbering(String channelId) {
        return Optional.empty();
    }

    /**
     * @param nextSequence the media sequence number after the newest segment numbered (the open one included)
     * @param discontinuitySequence the discontinuities up to that segment
     * @param listed the segments the playlist lists, oldest first
     */
    record Numbering(long nextSequence, long discontinuitySequence, List<PlaylistState.RecentSegment> listed) {}

    /**
     * Starts the channel's stream here, in the background, as a standby for a hand-over (the
     * cluster node grants it without a lease, {@link ClusterNode#claim}, and numbers it past the
     * giver's recorded numbering, {@link ClusterNode#resume}).
     */
    void prepare(String channelId);

    /**
     * Whether the channel's stream here has a segment in its playlist. Asked of a standby stream at
     * every check until it is ready, and counted as a viewer's visit, so that a stream nobody
     * watches yet is not stopped as idle while it waits for its hand-over.
     */
    boolean ready(String channelId);
}
