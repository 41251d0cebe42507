package dev.headend.relay;

import dev.headend.time.Moment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One accepted image of a stream and its message to viewers, built once and shared by every
 * viewer (each sends a duplicate of the read-only buffer).
 *
 * <p>Viewer framing (binary message, big-endian): byte 0 the format version {@value #VERSION};
 * byte 1 the length n of the stream id; n bytes the id (ASCII); 8 bytes the frame's sequence
 * number in its stream (from 1 per publisher); 8 bytes the time the server received it (Unix
 * milliseconds); then the image bytes as the publisher sent them (JPEG, PNG or WebP).
 */
public record Frame(String streamId, long sequence, String kind, int width, int height, Moment receivedAt,
        ByteBuffer message, StreamTally tally) {
    /** The framing version, the first byte of every frame message. */
    public static final byte VERSION = 1;

    /** The frame message for viewers; {@code receivedAtMillis} is the wall-clock receive time. */
    static Frame of(String streamId, long sequence, FrameCheck.Result.Image image, Moment receivedAt,
            long receivedAtMillis, StreamTally tally) {
        byte[] id = streamId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(2 + id.length + 16 + image.bytes().length);
        b.put(VERSION).put((byte) id.length).put(id).putLong(sequence).putLong(receivedAtMillis).put(image.bytes());
        return new Frame(streamId, sequence, image.kind(), image.width(), image.height(), receivedAt,
                b.flip().asReadOnlyBuffer(), tally);
    }

    /** The image bytes alone, as the publisher sent them (a view, not a copy). */
    public ByteBuffer image() {
        return message.duplicate().position(18 + streamId.length()).slice();
    }
}
