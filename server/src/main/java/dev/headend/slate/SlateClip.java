package dev.headend.slate;

import java.util.List;

/**
 * Slate material for one (format, look, segment duration): a few keyframe-aligned MPEG-TS
 * segments, in memory, meant to be played in a loop.
 *
 * <p>Invariants: at least one part; every part starts with PAT and PMT followed by a video
 * keyframe; part {@code i + 1} starts (video PTS) exactly where part {@code i} ends, and the
 * last part's duration includes its last frame, so the first part can follow it seamlessly.
 * Immutable: the parts' bytes are never written, only copied, so one clip is shared by every
 * stream using it.
 */
public final class SlateClip {
    /** One segment: its bytes, the PTS of its first video frame and its duration, in 90 kHz ticks. */
    record Part(byte[] ts, long startPts90k, long duration90k) {}

    private final List<Part> parts;

    SlateClip(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a clip needs at least one segment");
        }
        this.parts = List.copyOf(parts);
    }

    public int segmentCount() {
        return parts.size();
    }

    /** A copy of segment {@code index}'s bytes, with the timestamps FFmpeg gave them. */
    public byte[] segment(int index) {
        return parts.get(index).ts().clone();
    }

    public double seconds(int index) {
        return parts.get(index).duration90k() / 90_000.0;
    }

    /** Bytes held by the clip. */
    public long sizeBytes() {
        return parts.stream().mapToLong(p -> p.ts().length).sum();
    }

    Part part(int index) {
        return parts.get(index);
    }
}
