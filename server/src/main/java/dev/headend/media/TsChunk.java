package dev.headend.media;

import java.nio.ByteBuffer;

/** What a continuous-TS reader gets next: bytes to send, nothing yet, or the end. */
public sealed interface TsChunk {
    record Data(byte[] data, int offset, int length) implements TsChunk {
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(data, offset, length).asReadOnlyBuffer();
        }
    }

    /** Nothing new within the wait; the stream goes on. */
    record Pending() implements TsChunk {}

    /** The stream has ended; no more bytes will come. */
    record End() implements TsChunk {}
}
