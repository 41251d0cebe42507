package dev.headend.media;

/** A continuous-TS reader's position: a segment and a byte offset in it. Owned by one reader. */
public final class TsCursor {
    long sequence;
    int offset;
    long skips;

    TsCursor(long sequence) {
        this.sequence = sequence;
    }

    /** The media sequence number of the segment the reader is in (that of the bytes it was given last). */
    public long sequence() {
        return sequence;
    }

    /** Times the reader fell behind the retained segments and was moved to the live point. */
    public long skips() {
        return skips;
    }
}
