package dev.headend.support;

import java.nio.ByteBuffer;

/** Minimal image byte strings with real signatures and headers (enough for the relay, not for a decoder). */
public final class TestImages {
    private TestImages() {}

    /** A JPEG of {@code size} bytes whose frame header says {@code width} x {@code height}. */
    public static byte[] jpeg(int width, int height, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 23));
        b.put(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xc0, 0, 17, 8});
        b.putShort((short) height).putShort((short) width);
        b.put(new byte[] {3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        b.position(b.capacity() - 2);
        b.put((byte) 0xff).put((byte) 0xd9);
        return b.array();
    }

    /** A PNG signature and header of {@code width} x {@code height}. */
    public static byte[] png(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        b.putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0, 0, 0, 0, 0});
        return b.array();
    }
}
