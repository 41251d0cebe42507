package dev.headend.relay;

import java.nio.ByteBuffer;

/**
 * One WebSocket connection as the relay drives it. Sends are asynchronous: {@code done} is told
 * once, when the message was written or could not be. Implementations never block the caller.
 */
public interface RelayLink {
    /** Told once when a send completes. */
    @FunctionalInterface
    interface SendDone {
        void done(boolean ok);
    }

    void sendText(String text, SendDone done);

    /** {@code message} is read-only and shared by every viewer: it is not changed, only read. */
    void sendBinary(ByteBuffer message, SendDone done);

    void ping();

    /** A clean close with a status code and a reason the peer sees. */
    void close(int code, String reason);

    /** Drops the connection at once (a stuck peer would never read a close frame). */
    void abort();

    /** The peer's address, for logs. */
    String remote();
}
