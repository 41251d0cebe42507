package dev.headend.slate;

import java.util.ArrayList;
import java.util.List;

/**
 * The transport-level fields of each packet of an MPEG-TS byte array, decoded independently of
 * the product's own parsing (ISO/IEC 13818-1 2.4.3).
 */
record TsView(List<Packet> packets) {
    static final int SIZE = 188;

    /**
     * One packet: PID, continuity counter, whether it carries payload, whether it has an
     * adaptation field with a flags byte, the discontinuity flag, and the PCR base (-1 without).
     */
    record Packet(int index, int pid, int counter, boolean payload, boolean adaptationFlags, boolean discontinuity,
            long pcrBase) {
        boolean hasPcr() {
            return pcrBase >= 0;
        }
    }

    static TsView of(byte[] ts) {
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < ts.length / SIZE; i++) {
            int o = i * SIZE;
            if ((ts[o] & 0xff) != 0x47) {
                throw new IllegalArgumentException("packet " + i + " has no sync byte");
            }
            int pid = ((ts[o + 1] & 0x1f) << 8) | (ts[o + 2] & 0xff);
            int control = (ts[o + 3] >> 4) & 0x3;
            boolean adaptation = (control & 0x2) != 0 && (ts[o + 4] & 0xff) > 0;
            int flags = adaptation ? ts[o + 5] & 0xff : 0;
            long pcr = -1;
            if ((flags & 0x10) != 0) {
                pcr = 0;
                for (int k = 0; k < 4; k++) {
                    pcr = (pcr << 8) | (ts[o + 6 + k] & 0xff);
                }
                pcr = (pcr << 1) | ((ts[o + 10] & 0xff) >> 7);
            }
            packets.add(new Packet(i, pid, ts[o + 3] & 0x0f, (control & 0x1) != 0, adaptation, (flags & 0x80) != 0,
                    pcr));
        }
        return new TsView(packets);
    }
}
