package dev.headend.web.relay;

import dev.headend.relay.Relay;
import dev.headend.relay.Viewer;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** The WebSocket endpoint of one viewer: what it sends only proves it is alive ({@code ping} is answered). *
 * <p>Public only because Jetty calls its methods through method handles.
 */
public final class ViewerSocket implements Session.Listener.AutoDemanding {
    private final Relay relay;
    private final Optional<String> streamId;
    private Viewer viewer;

    ViewerSocket(Relay relay, Optional<String> streamId) {
        this.relay = relay;
        this.streamId = streamId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        viewer = relay.watch(streamId, new JettyLink(session));
    }

    @Override
    public void onWebSocketText(String message) {
        viewer.text(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        viewer.heard();
        callback.succeed();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        viewer.heard();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (viewer != null) {
            relay.left(viewer);
        }
    }
}
