package dev.headend.media;

/** Field access on 188-byte MPEG-TS packets (ISO/IEC 13818-1). Stateless helpers. */
final class TsPackets {
    static final int SIZE = 188;
    static final int SYNC = 0x47;
    static final long PTS_MODULO = 1L << 33;
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
        return ((long) (p[b + 9] & 0x0e) << 29)
                | ((long) (p[b + 10] & 0xff) << 22)
                | ((long) (p[b + 11] & 0xfe) << 14)
                | ((long) (p[b + 12] & 0xff) << 7)
                | ((p[b + 13] & 0xfe) >> 1);
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
}
