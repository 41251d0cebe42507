package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import java.util.Optional;

/** Supplies the slate a stream shows while its pipeline recovers. */
public interface SlateProvider {

    /**
     * Slate segments for the channel, timed to continue from {@code startPts}, matching the
     * format of {@code reference} (the stream's newest real segment) when there is one. Empty
     * while the material is still being prepared; preparation starts on the first call.
     */
    Optional<SlateSequence> start(Channel channel, Optional<Segment> reference, long startPts);

    /** Prepares the channel's slate ahead of need, without blocking. */
    void prepare(Channel channel, Segment reference);

    /** Successive slate segments with continuous timestamps. Used by one thread at a time. */
    interface SlateSequence {
        SlatePiece next();
    }

    /** One slate segment: its bytes, duration and first PTS (90 kHz). */
    record SlatePiece(byte[] bytes, double seconds, long startPts) {}
}
