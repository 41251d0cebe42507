package dev.headend.stream;

import java.util.Optional;

/**
 * Where a channel's segment numbering continues when this server creates a stream of it (asked
 * by the {@link StreamManager} as it creates the stream, after {@link Ownership} granted it). A
 * single server continues from its own earlier streams of the channel; a cluster node continues
 * from what the channel's earlier owners recorded, so that a player reloading the playlist
 * through any node never sees the media or the discontinuity sequence go back.
 */
@FunctionalInterface
public interface PlaylistContinuity {
    /** A single server: the numbering its earlier streams of the channel left, as it is. */
    PlaylistContinuity SINGLE_NODE = (channelId, nextSequence, discontinuitySequence) -> new Resumed(nextSequence,
            discontinuitySequence, Optional.empty());

    /**
     * Where the channel's new stream here starts numbering. Called once per stream created, while
     * the stream is created (a cluster node may wait for its store, within the store's command
     * timeout, as a claim does).
     *
     * @param nextSequence where this server's earlier streams of the channel stopped (0 when none ran here)
     * @param discontinuitySequence their discontinuity sequence
     */
    Resumed resume(String channelId, long nextSequence, long discontinuitySequence);

    /**
     * Where the new stream starts: never below what this server's earlier streams left. A stream
     * that continues an earlier one (a start number above 0) begins with a discontinuity.
     *
     * @param lostNode the node whose run of the channel ended without ending the stream (it was
     *     lost: killed, or cut off until its lease expired); its {@code stream_ended} is told here,
     *     before the new stream's {@code stream_started}
     */
    record Resumed(long nextSequence, long discontinuitySequence, Optional<String> lostNode) {}
}
