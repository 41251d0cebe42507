package dev.headend.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of an entry of a Redis Stream, {@code <milliseconds>-<sequence>}, and its position: one
 * {@code long} that orders as the ids order ({@code milliseconds << 20 | sequence}). The feeds
 * compare positions; clients only ever see the id's text.
 *
 * <p>Invariant: {@code 0 <= millis < 2^43} (until the year 2248) and {@code 0 <= sequence < 2^20}
 * (a million entries in one millisecond, far beyond what a cluster's events come to); an id
 * outside these bounds has no position and is refused by {@link #parse}.
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
    private static final int SEQUENCE_BITS = 20;
    private static final long MAX_MILLIS = 1L << 43;
    private static final long MAX_SEQUENCE = 1L << SEQUENCE_BITS;
    private static final Pattern FORM = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    /** The id before every entry: reading after it reads the whole stream. */
    public static final StreamId ZERO = new StreamId(0, 0);

    public StreamId {
        if (millis < 0 || millis >= MAX_MILLIS || sequence < 0 || sequence >= MAX_SEQUENCE) {
            throw new IllegalArgumentException("stream id out of bounds: " + millis + "-" + sequence);
        }
    }

    /** The id of a text such as {@code 1764680000000-0}; empty when it is not one within the bounds. */
    public static Optional<StreamId> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseLong(m.group(1));
            long sequence = Long.parseLong(m.group(2));
            if (millis >= MAX_MILLIS || sequence >= MAX_SEQUENCE) {
                return Optional.empty();
            }
            return Optional.of(new StreamId(millis, sequence));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The id at a position. */
    public static StreamId of(long position) {
        return new StreamId(position >>> SEQUENCE_BITS, position & (MAX_SEQUENCE - 1));
    }

    public long position() {
        return millis << SEQUENCE_BITS | sequence;
    }

    @Override
    public int compareTo(StreamId other) {
        return Long.compare(position(), other.position());
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
