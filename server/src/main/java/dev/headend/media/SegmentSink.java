package dev.headend.media;

import java.time.Instant;

/** Receives the segmenter's output: segments opened, filled and closed, in that order. */
interface SegmentSink {
    /**
     * A new segment begins with {@code header} (PAT and PMT), at the reference frame with PTS
     * {@code pts}; {@code keyframe} tells whether that frame is a random-access point.
     */
    void open(byte[] header, Instant wallClock, long pts, boolean keyframe);

    /** Packets for the open segment; the array is owned by the sink from now on. */
    void append(byte[] packets, int length);

    /**
     * The open segment is complete and lasts {@code seconds}.
     *
     * @param cutShort it ended without a keyframe, because the next frame would have taken it
     *     past {@link #maxSeconds()}
     */
    void close(double seconds, boolean cutShort);

    /** The longest segment the sink takes now, in seconds: the segmenter never makes a longer one. */
    double maxSeconds();
}
