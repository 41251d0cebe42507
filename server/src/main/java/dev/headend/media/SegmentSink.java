package dev.headend.media;

import java.time.Instant;

/** Receives the segmenter's output: segments opened, filled and closed, in that order. */
interface SegmentSink {
    /** A new segment begins with {@code header} (PAT and PMT), at a keyframe with PTS {@code pts}. */
    void open(byte[] header, Instant wallClock, long pts);

    /** Packets for the open segment; the array is owned by the sink from now on. */
    void append(byte[] packets, int length);

    /** The open segment is complete and lasts {@code seconds}. */
    void close(double seconds);
}
