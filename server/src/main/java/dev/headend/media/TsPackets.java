package dev.headend.media;

/**
 * Reads and writes fields of 188-byte MPEG-TS packets (ISO/IEC 13818-1): PID, continuity
 * counter, adaptation-field flags, PCR base, PES PTS/DTS, PSI sections. Stateless; every method
 * takes the buffer and the offset {@code o} of a packet, or of a field within one.
 */
public final class TsPackets {
    static final int SIZE = 188;
    static final int SYNC = 0x47;
    static final int NULL_PID = 0x1fff;
    /** PTS, DTS and PCR base are 33-bit counters of a 90 kHz clock. */
    public static final long PTS_MODULO = 1L << 33;
    static final int PTS_HZ = 90_000;

    private TsPackets() {}

    static int pid(byte[] p, int o) {
        return ((p[o + 1] & 0x1f) << 8) | (p[o + 2] & 0xff);
    }

    static boolean payloadUnitStart(byte[] p, int o) {
        return (p[o + 1] & 0x40) != 0;
    }

    /** Offset of the payload within the packet, or -1 when the packet carries none. */
    static int payloadOffset(byte[] p, int o) {
        int control = (p[o + 3] >> 4) & 0x3;
        if ((control & 0x1) == 0) {
            return -1;
        }
        int offset = 4;
        if ((control & 0x2) != 0) {
            offset += 1 + (p[o + 4] & 0xff);
        }
        return offset < SIZE ? offset : -1;
    }

    /** The adaptation field's random_access_indicator: set by the muxer on keyframes. */
    static boolean randomAccess(byte[] p, int o) {
        boolean hasAdaptation = (p[o + 3] & 0x20) != 0;
        return hasAdaptation && (p[o + 4] & 0xff) > 0 && (p[o + 5] & 0x40) != 0;
    }

    /** PTS of the PES that starts in this packet, or -1 when it has none. */
    static long pesPts(byte[] p, int o) {
        int at = payloadOffset(p, o);
        if (at < 0 || at + 14 > SIZE) {
            return -1;
        }
        int b = o + at;
        if (p[b] != 0 || p[b + 1] != 0 || p[b + 2] != 1) {
            return -1;
        }
        if ((p[b + 7] & 0x80) == 0) {
            return -1;
        }
        return timestamp(p, b + 9);
    }

    /** Start of the PSI section in a packet that begins one (skips the pointer field), or -1. */
    static int sectionStart(byte[] p, int o) {
        int at = payloadOffset(p, o);
        if (at < 0 || !payloadUnitStart(p, o)) {
            return -1;
        }
        int start = at + 1 + (p[o + at] & 0xff);
        return start + 3 < SIZE ? start : -1;
    }

    static int sectionLength(byte[] p, int o, int section) {
        return ((p[o + section + 1] & 0x0f) << 8) | (p[o + section + 2] & 0xff);
    }

    /** Seconds from {@code from} to {@code to}, both 90 kHz PTS values, across the 33-bit wrap. */
    static double secondsBetween(long from, long to) {
        return Math.floorMod(to - from, PTS_MODULO) / (double) PTS_HZ;
    }

    static boolean hasPayload(byte[] b, int o) {
        return (b[o + 3] & 0x10) != 0;
    }

    static int continuityCounter(byte[] b, int o) {
        return b[o + 3] & 0x0f;
    }

    static void continuityCounter(byte[] b, int o, int counter) {
        b[o + 3] = (byte) ((b[o + 3] & 0xf0) | (counter & 0x0f));
    }

    /** Length of the adaptation field after its length byte: -1 without one, 0 when it has no flags byte. */
    static int adaptationLength(byte[] b, int o) {
        return (b[o + 3] & 0x20) != 0 ? b[o + 4] & 0xff : -1;
    }

    static void setDiscontinuity(byte[] b, int o) {
        b[o + 5] |= (byte) 0x80;
    }

    /** Whether the adaptation field carries a PCR (at {@code o + 6}); false without a flags byte. */
    static boolean hasPcr(byte[] b, int o) {
        return adaptationLength(b, o) >= 7 && (b[o + 5] & 0x10) != 0;
    }

    /** Offset of the PES header starting in this packet's payload, or -1 when none starts here. */
    static int pesStart(byte[] b, int o) {
        if (!hasPayload(b, o) || !payloadUnitStart(b, o)) {
            return -1;
        }
        int at = o + 4 + Math.max(0, adaptationLength(b, o) + 1);
        if (at + 9 > o + SIZE || b[at] != 0 || b[at + 1] != 0 || b[at + 2] != 1) {
            return -1;
        }
        return at;
    }

    /**
     * PTS_DTS_flags of the PES header at {@code pes}: 2 for PTS only, 3 for PTS and DTS, 0 when
     * the stream id has no optional header (padding, private_stream_2, ...) or no timestamps fit
     * in the packet.
     */
    static int timestampFlags(byte[] b, int o, int pes) {
        int streamId = b[pes + 3] & 0xff;
        boolean optionalHeader = switch (streamId) {
            case 0xbc, 0xbe, 0xbf, 0xf0, 0xf1, 0xf2, 0xf8, 0xff -> false;
            default -> (b[pes + 6] & 0xc0) == 0x80;
        };
        int flags = optionalHeader ? (b[pes + 7] >> 6) & 0x3 : 0;
        int end = pes + (flags == 3 ? 19 : 14);
        return (flags == 2 || flags == 3) && end <= o + SIZE ? flags : 0;
    }

    /** A 33-bit PTS or DTS in its 5-byte PES encoding at {@code at}. */
    static long timestamp(byte[] b, int at) {
        return ((long) (b[at] & 0x0e) << 29)
                | ((long) (b[at + 1] & 0xff) << 22)
                | ((long) (b[at + 2] & 0xfe) << 14)
                | ((long) (b[at + 3] & 0xff) << 7)
                | ((b[at + 4] & 0xfe) >> 1);
    }

    /** Writes a PTS or DTS, keeping the 4-bit prefix and the marker bits. */
    static void timestamp(byte[] b, int at, long value) {
        b[at] = (byte) ((b[at] & 0xf1) | ((value >> 29) & 0x0e));
        b[at + 1] = (byte) (value >> 22);
        b[at + 2] = (byte) ((b[at + 2] & 0x01) | ((value >> 14) & 0xfe));
        b[at + 3] = (byte) (value >> 7);
        b[at + 4] = (byte) ((b[at + 4] & 0x01) | ((value << 1) & 0xfe));
    }

    /** The 33-bit PCR base at {@code at}. */
    static long pcrBase(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 25)
                | ((long) (b[at + 1] & 0xff) << 17)
                | ((long) (b[at + 2] & 0xff) << 9)
                | ((long) (b[at + 3] & 0xff) << 1)
                | ((b[at + 4] & 0x80) >> 7);
    }

    /** Writes the PCR base, keeping the reserved bits and the 9-bit extension. */
    static void pcrBase(byte[] b, int at, long value) {
        b[at] = (byte) (value >> 25);
        b[at + 1] = (byte) (value >> 17);
        b[at + 2] = (byte) (value >> 9);
        b[at + 3] = (byte) (value >> 1);
        b[at + 4] = (byte) ((b[at + 4] & 0x7f) | ((value & 1) << 7));
    }
}
