package dev.headend.media;

import java.time.Instant;

/**
 * One MPEG-TS segment, starting with a keyframe unless it was cut short (see {@link
 * #independent()}). Its bytes grow while it is open; {@link #fill()} is
 * replaced, never mutated, so a reader always sees a consistent prefix: bytes below
 * {@code fill().size()} never change once written.
 */
public final class Segment {
    /** The segment's bytes so far: {@code data[0..size)}. */
    public record Fill(byte[] data, int size) {}

    private final long sequence;
    private final long discontinuitySequence;
    private final boolean discontinuity;
    private final Instant programDateTime;
    private final long startPts;
    private final boolean independent;
    private volatile Fill fill;
    private volatile boolean closed;
    private volatile double duration;

    Segment(long sequence, long discontinuitySequence, boolean discontinuity, Instant programDateTime, long startPts,
            boolean independent, byte[] data, int size) {
        this.sequence = sequence;
        this.discontinuitySequence = discontinuitySequence;
        this.discontinuity = discontinuity;
        this.programDateTime = programDateTime;
        this.startPts = startPts;
        this.independent = independent;
        this.fill = new Fill(data, size);
    }

    public long sequence() {
        return sequence;
    }

    /** Discontinuity tags up to and including this segment, over the channel's life. */
    public long discontinuitySequence() {
        return discontinuitySequence;
    }

    /** True when this segment follows a pipeline change (a new encoder run). */
    public boolean discontinuity() {
        return discontinuity;
    }

    public Instant programDateTime() {
        return programDateTime;
    }

    /** PTS (90 kHz) of the segment's first frame. */
    public long startPts() {
        return startPts;
    }

    /**
     * True when the segment starts with a keyframe (and so decodes without the segment before
     * it); false only for the rest of a group of pictures longer than the target duration.
     */
    public boolean independent() {
        return independent;
    }

    /** PTS just after the segment's end; meaningful once closed. */
    public long endPts() {
        return (startPts + Math.round(duration * TsPackets.PTS_HZ)) % TsPackets.PTS_MODULO;
    }

    public Fill fill() {
        return fill;
    }

    public boolean closed() {
        return closed;
    }

    /** Duration in seconds; meaningful once closed. */
    public double duration() {
        return duration;
    }

    /** Appends packets; called only by the store's single writer, under its lock. */
    void append(byte[] packets, int length) {
        Fill f = fill;
        byte[] data = f.data();
        int size = f.size();
        if (size + length > data.length) {
            data = java.util.Arrays.copyOf(data, Math.max(size + length, data.length * 2));
        }
        System.arraycopy(packets, 0, data, size, length);
        fill = new Fill(data, size + length);
    }

    void close(double seconds) {
        Fill f = fill;
        fill = new Fill(java.util.Arrays.copyOf(f.data(), f.size()), f.size());
        duration = seconds;
        closed = true;
    }
}
