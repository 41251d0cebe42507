package dev.headend.media;

import java.util.Arrays;

/**
 * Re-times MPEG-TS segments so that they can be appended, one after another, to one stream.
 *
 * <p>Invariants: every PES PTS and DTS and every PCR base of a segment is shifted by the given
 * offset modulo 2<sup>33</sup>; the PCR extension, the OPCR and everything else stay as they
 * are. Continuity counters continue per PID from the last packet this retimer wrote on that
 * PID: +1 on a packet with payload, unchanged on one without (ISO/IEC 13818-1 2.4.3.3). The
 * first packet a retimer sees on a PID keeps its counter and, when it has an adaptation field
 * with a flags byte, gets the discontinuity_indicator, telling the decoder that counter and
 * time base restart there; a first packet without an adaptation field is left without the
 * flag, since adding a field would shift its payload. Null packets pass unchanged. Input
 * segments are never modified. Not thread-safe: one retimer per stream.
 */
public final class TsRetimer {
    /** The last continuity counter written, by PID (13 bits); -1 until the PID's first packet. */
    private final int[] counters = new int[8192];

    public TsRetimer() {
        Arrays.fill(counters, -1);
    }

    /**
     * A re-timed copy of {@code segment}.
     *
     * @param segment whole 188-byte packets, each starting with the sync byte
     * @param ptsOffset90k added to every timestamp, in 90 kHz ticks; may be negative
     * @throws IllegalArgumentException when the segment is not whole, synced packets
     */
    public byte[] retime(byte[] segment, long ptsOffset90k) {
        return retime(segment, segment.length, ptsOffset90k);
    }

    /** A re-timed copy of the first {@code length} bytes of {@code packets}; see {@link #retime(byte[], long)}. */
    public byte[] retime(byte[] packets, int length, long ptsOffset90k) {
        if (length % TsPackets.SIZE != 0) {
            throw new IllegalArgumentException("segment length " + length + " is not a multiple of 188");
        }
        byte[] out = Arrays.copyOf(packets, length);
        for (int o = 0; o < out.length; o += TsPackets.SIZE) {
            if ((out[o] & 0xff) != TsPackets.SYNC) {
                throw new IllegalArgumentException("no sync byte at offset " + o);
            }
            int pid = TsPackets.pid(out, o);
            if (pid != TsPackets.NULL_PID) {
                count(out, o, pid);
                shift(out, o, ptsOffset90k);
            }
        }
        return out;
    }

    private void count(byte[] b, int o, int pid) {
        int last = counters[pid];
        int counter;
        if (last < 0) {
            counter = TsPackets.continuityCounter(b, o);
            if (TsPackets.adaptationLength(b, o) > 0) {
                TsPackets.setDiscontinuity(b, o);
            }
        } else {
            counter = TsPackets.hasPayload(b, o) ? (last + 1) & 0x0f : last;
            TsPackets.continuityCounter(b, o, counter);
        }
        counters[pid] = counter;
    }

    private static void shift(byte[] b, int o, long offset) {
        if (TsPackets.hasPcr(b, o)) {
            TsPackets.pcrBase(b, o + 6, add(TsPackets.pcrBase(b, o + 6), offset));
        }
        int pes = TsPackets.pesStart(b, o);
        int flags = pes < 0 ? 0 : TsPackets.timestampFlags(b, o, pes);
        if (flags != 0) {
            TsPackets.timestamp(b, pes + 9, add(TsPackets.timestamp(b, pes + 9), offset));
        }
        if (flags == 3) {
            TsPackets.timestamp(b, pes + 14, add(TsPackets.timestamp(b, pes + 14), offset));
        }
    }

    private static long add(long timestamp, long offset) {
        return Math.floorMod(timestamp + offset, TsPackets.PTS_MODULO);
    }
}
