package dev.headend.slate;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Supplies the slate a stream shows while its pipeline recovers. {@link SlateService} is the
 * implementation; streams depend on this interface only.
 */
public interface SlateProvider {

    /**
     * Slate segments for the channel, timed to continue from {@code startPts}, matching the
     * format of {@code reference} (the stream's newest real segment) when there is one. Empty
     * while the material is still being prepared; preparation starts on the first call.
     *
     * @param returnAt when the stream is expected back, by the wall clock, asked again for each
     *     segment (for the slate's status line)
     */
    Optional<SlateSequence> start(Channel channel, Optional<Segment> reference, long startPts,
            Supplier<Optional<Instant>> returnAt);

    /** Prepares the channel's slate ahead of need, without blocking. */
    void prepare(Channel channel, Segment reference);

    /** Whether the channel's slate, for its current definition, can be shown now. */
    SlateReadiness readiness(Channel channel);

    /** Successive slate segments with continuous timestamps. Used by one thread at a time. */
    interface SlateSequence {
        SlatePiece next();
    }

    /**
     * One slate segment: its bytes, duration, first PTS (90 kHz) and the status line drawn on it
     * (empty for none).
     */
    record SlatePiece(byte[] bytes, double seconds, long startPts, String status) {}
}
