package dev.headend.support;

import java.io.ByteArrayOutputStream;

/**
 * MPEG-TS made without FFmpeg, for tests that need segments but no real media: a PAT, a PMT
 * with one H.264 video stream, and one packet per frame whose PES header carries the frame's
 * PTS; the first frame of each group of pictures is a keyframe (random-access flag), preceded
 * by a PAT and a PMT. Enough for the server's segmenter, which cuts at keyframes by PTS.
 */
public final class SyntheticTs {
    public static final int PMT_PID = 0x1000;
    public static final int VIDEO_PID = 0x100;
    private static final int SIZE = 188;

    private final int fps;
    private final int framesPerKeyframe;
    private long pts;
    private long frame;
    private int patCounter;
    private int pmtCounter;
    private int videoCounter;

    /** @param framesPerKeyframe the group of pictures: a keyframe every this many frames */
    public SyntheticTs(int fps, int framesPerKeyframe) {
        this.fps = fps;
        this.framesPerKeyframe = framesPerKeyframe;
        this.pts = 90_000;
    }

    /** 25 frames per second, a keyframe every second. */
    public static SyntheticTs standard() {
        return new SyntheticTs(25, 25);
    }

    /** The next {@code seconds} of stream. */
    public byte[] seconds(double seconds) {
        return frames((int) Math.round(seconds * fps));
    }

    /** The next {@code n} frames. */
    public byte[] frames(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * SIZE * 2);
        for (int i = 0; i < n; i++) {
            boolean key = frame % framesPerKeyframe == 0;
            if (key) {
                out.writeBytes(pat());
                out.writeBytes(pmt());
            }
            out.writeBytes(videoPacket(key, pts));
            pts = (pts + 90_000 / fps) % (1L << 33);
            frame++;
        }
        return out.toByteArray();
    }

    private byte[] pat() {
        byte[] section = {0x00, (byte) 0xb0, 0x0d, 0x00, 0x01, (byte) 0xc1, 0x00, 0x00,
                0x00, 0x01, (byte) (0xe0 | (PMT_PID >> 8)), (byte) (PMT_PID & 0xff)};
        return psi(0, patCounter++, section);
    }

    private byte[] pmt() {
        byte[] section = {0x02, (byte) 0xb0, 0x12, 0x00, 0x01, (byte) 0xc1, 0x00, 0x00,
                (byte) (0xe0 | (VIDEO_PID >> 8)), (byte) (VIDEO_PID & 0xff), (byte) 0xf0, 0x00,
                0x1b, (byte) (0xe0 | (VIDEO_PID >> 8)), (byte) (VIDEO_PID & 0xff), (byte) 0xf0, 0x00};
        return psi(PMT_PID, pmtCounter++, section);
    }

    /** A packet holding one PSI section (after a zero pointer field) and its CRC, padded with 0xff. */
    private static byte[] psi(int pid, int counter, byte[] section) {
        byte[] p = filled();
        header(p, pid, true, false, counter);
        p[4] = 0;
        System.arraycopy(section, 0, p, 5, section.length);
        int crc = crc32(section);
        int at = 5 + section.length;
        p[at] = (byte) (crc >>> 24);
        p[at + 1] = (byte) (crc >>> 16);
        p[at + 2] = (byte) (crc >>> 8);
        p[at + 3] = (byte) crc;
        return p;
    }

    private byte[] videoPacket(boolean key, long framePts) {
        byte[] p = filled();
        header(p, VIDEO_PID, true, true, videoCounter++);
        p[4] = 1;
        p[5] = (byte) (key ? 0x40 : 0x00);
        int b = 6;
        byte[] pes = {0x00, 0x00, 0x01, (byte) 0xe0, 0x00, 0x00, (byte) 0x80, (byte) 0x80, 0x05};
        System.arraycopy(pes, 0, p, b, pes.length);
        b += pes.length;
        p[b] = (byte) (0x21 | ((framePts >> 29) & 0x0e));
        p[b + 1] = (byte) (framePts >> 22);
        p[b + 2] = (byte) (((framePts >> 14) & 0xfe) | 1);
        p[b + 3] = (byte) (framePts >> 7);
        p[b + 4] = (byte) (((framePts << 1) & 0xfe) | 1);
        return p;
    }

    private static byte[] filled() {
        byte[] p = new byte[SIZE];
        java.util.Arrays.fill(p, (byte) 0xff);
        return p;
    }

    private static void header(byte[] p, int pid, boolean unitStart, boolean adaptation, int counter) {
        p[0] = 0x47;
        p[1] = (byte) ((unitStart ? 0x40 : 0) | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) ((adaptation ? 0x30 : 0x10) | (counter & 0x0f));
    }

    /** CRC-32/MPEG-2 of a PSI section. */
    private static int crc32(byte[] data) {
        int crc = 0xffffffff;
        for (byte value : data) {
            crc ^= (value & 0xff) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
            }
        }
        return crc;
    }
}
