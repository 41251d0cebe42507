package dev.headend.web.relay;

import dev.headend.relay.RelayLink;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A Jetty WebSocket session as a {@link RelayLink}; Jetty's sends are asynchronous, so none blocks. */
final class JettyLink implements RelayLink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Session session;
    private final String remote;

    JettyLink(Session session) {
        this.session = session;
        this.remote = String.valueOf(session.getRemoteSocketAddress());
    }

    @Override
    public void sendText(String text, SendDone done) {
        session.sendText(text, Callback.from(() -> done.done(true), x -> done.done(false)));
    }

    @Override
    public void sendBinary(ByteBuffer message, SendDone done) {
        session.sendBinary(message, Callback.from(() -> done.done(true), x -> done.done(false)));
    }

    @Override
    public void ping() {
        session.sendPing(EMPTY.duplicate(), Callback.NOOP);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void abort() {
        session.disconnect();
    }

    @Override
    public String remote() {
        return remote;
    }
}
