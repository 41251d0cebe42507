package dev.headend.slate;

import dev.headend.media.TsPackets;
import dev.headend.media.TsRetimer;

/**
 * The slate segments of one stream: the clip's segments in a loop, re-timed so that the
 * stream's timestamps go on from a given start, and at a loop's end, when asked, another clip
 * of the same format and segment duration (the same slate with another status line).
 *
 * <p>Invariants: the first video frame of the n-th segment has PTS {@code startPts90k} plus
 * the durations of the n-1 segments before it (modulo 2<sup>33</sup>), across clip switches
 * too; continuity counters run on across segments per PID; the first segment marks each PID's
 * first packet as a discontinuity where it can (see {@link TsRetimer}); a switch happens only
 * where a loop ends, the one point where a clip's audio is known to meet a clip's start without
 * a gap or overlap. Not thread-safe: one feed per stream.
 */
public final class SlateFeed {
    private final TsRetimer retimer = new TsRetimer();
    private SlateClip clip;
    private long nextPts;
    private int index;

    /** @param startPts90k the PTS, in 90 kHz ticks, that the first segment's first video frame gets */
    public SlateFeed(SlateClip clip, long startPts90k) {
        this.clip = clip;
        this.nextPts = Math.floorMod(startPts90k, TsPackets.PTS_MODULO);
    }

    public SlateSegment next() {
        SlateClip.Part part = clip.part(index);
        byte[] bytes = retimer.retime(part.ts(), nextPts - part.startPts90k());
        nextPts = Math.floorMod(nextPts + part.duration90k(), TsPackets.PTS_MODULO);
        index = (index + 1) % clip.segmentCount();
        return new SlateSegment(bytes, part.duration90k() / 90_000.0);
    }

    /** The PTS at which the segment after the last one returned begins: where the stream goes on. */
    public long nextPts90k() {
        return nextPts;
    }

    /** Whether the next segment starts a loop of the clip, so another clip may take over there. */
    public boolean atLoopStart() {
        return index == 0;
    }

    /**
     * Plays {@code next} from its first segment on, continuing timestamps and counters.
     *
     * @throws IllegalStateException when not {@link #atLoopStart()}
     */
    public void switchTo(SlateClip next) {
        if (!atLoopStart()) {
            throw new IllegalStateException("a clip switch must wait for the end of the loop");
        }
        clip = next;
    }
}
