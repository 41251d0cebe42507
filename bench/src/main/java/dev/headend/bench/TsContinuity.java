package dev.headend.bench;

import java.util.Arrays;

/**
 * Checks an MPEG-TS byte stream, fed as it arrives, for lost or skipped packets: the 4-bit
 * continuity counter of every PID carrying payload must step by one (a single repeat is allowed,
 * as is a jump flagged by the discontinuity indicator). PAT, PMT and null packets are left out:
 * the server repeats PAT and PMT at each segment start. A lost sync byte also counts as a jump.
 */
final class TsContinuity {
    private static final int SIZE = 188;
    private static final int SYNC = 0x47;

    private final byte[] packet = new byte[SIZE];
    private final int[] last = new int[8192];
    private int filled;
    private int pmtPid = -1;
    private boolean inSync = true;
    private long jumps;

    TsContinuity() {
        Arrays.fill(last, -1);
    }

    void accept(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (filled == 0 && data[i] != SYNC) {
                if (inSync) {
                    jumps++;
                    inSync = false;
                }
                i++;
                continue;
            }
            inSync = true;
            int take = Math.min(SIZE - filled, end - i);
            System.arraycopy(data, i, packet, filled, take);
            filled += take;
            i += take;
            if (filled == SIZE) {
                packet();
                filled = 0;
            }
        }
    }

    /** Continuity jumps seen so far. */
    long jumps() {
        return jumps;
    }

    private void packet() {
        int pid = (packet[1] & 0x1f) << 8 | packet[2] & 0xff;
        int control = packet[3] >> 4 & 0x3;
        if (pid == 0) {
            readPat(control);
            return;
        }
        if (pid == pmtPid || pid == 0x1fff || (control & 1) == 0) {
            return;
        }
        int cc = packet[3] & 0xf;
        boolean flagged = (control & 2) != 0 && (packet[4] & 0xff) > 0 && (packet[5] & 0x80) != 0;
        int previous = last[pid];
        if (previous >= 0 && !flagged && cc != (previous + 1 & 0xf) && cc != previous) {
            jumps++;
        }
        last[pid] = cc;
    }

    /** Takes the PMT's PID from the first program of a PAT that starts in this packet. */
    private void readPat(int control) {
        if ((packet[1] & 0x40) == 0 || (control & 1) == 0) {
            return;
        }
        int p = 4 + ((control & 2) != 0 ? 1 + (packet[4] & 0xff) : 0);
        p += 1 + (packet[p] & 0xff);
        if (p + 3 >= SIZE) {
            return;
        }
        int sectionEnd = Math.min(SIZE, p + 3 + ((packet[p + 1] & 0xf) << 8 | packet[p + 2] & 0xff) - 4);
        for (int q = p + 8; q + 4 <= sectionEnd; q += 4) {
            int program = (packet[q] & 0xff) << 8 | packet[q + 1] & 0xff;
            if (program != 0) {
                pmtPid = (packet[q + 2] & 0x1f) << 8 | packet[q + 3] & 0xff;
                return;
            }
        }
    }
}
