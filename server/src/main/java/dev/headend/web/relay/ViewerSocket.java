package dev.headend.web.relay;

import dev.headend.relay.Relay;
import dev.headend.relay.RelayLink;
import dev.headend.relay.Viewer;
import dev.headend.relay.ViewerDelivery;
import dev.headend.session.SessionLimitException;
import dev.headend.session.SessionRegistry;
import dev.headend.session.SessionState;
import dev.headend.session.ViewerSession;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * The WebSocket endpoint of one viewer: what it sends only proves it is alive ({@code ping} is
 * answered). Each viewer is one viewer session (protocol {@code ws}) from open to close: frames
 * sent are its media, a failed send its error, and ending the session from outside (a kick, the
 * idle timeout) closes the socket at once with the reason. A viewer admitted before the upgrade
 * whose place was taken meanwhile is closed with 1013 (try again later).
 *
 * <p>Public only because Jetty calls its methods through method handles.
 */
public final class ViewerSocket implements Session.Listener.AutoDemanding {
    private final Relay relay;
    private final SessionRegistry sessions;
    private final Optional<String> streamId;
    private final String remote;
    private final String userAgent;
    private Viewer viewer;
    private ViewerSession session;

    ViewerSocket(Relay relay, SessionRegistry sessions, Optional<String> streamId, String remote, String userAgent) {
        this.relay = relay;
        this.sessions = sessions;
        this.streamId = streamId;
        this.remote = remote;
        this.userAgent = userAgent;
    }

    @Override
    public void onWebSocketOpen(Session socket) {
        ViewerSession s;
        try {
            s = sessions.openRelay(streamId.orElse(SessionRegistry.ALL_STREAMS), remote, userAgent);
        } catch (SessionLimitException e) {
            socket.close(StatusCode.TRY_AGAIN_LATER, "too many viewer sessions (max_sessions_per_channel); try again"
                    + " later", Callback.NOOP);
            return;
        }
        RelayLink link = new JettyLink(socket);
        Viewer v = relay.watch(streamId, link, new ViewerDelivery() {
            @Override
            public void frameSent(int bytes) {
                sessions.delivered(s, bytes);
            }

            @Override
            public void sendFailed() {
                sessions.failed(s);
            }
        });
        s.onDisconnect(reason -> {
            relay.left(v);
            link.close(StatusCode.POLICY_VIOLATION, reason);
        });
        session = s;
        viewer = v;
        if (s.state() == SessionState.DISCONNECTED) { // ended before it could be disconnected
            relay.left(v);
            link.close(StatusCode.POLICY_VIOLATION, "session ended");
        }
    }

    @Override
    public void onWebSocketText(String message) {
        if (viewer != null) {
            viewer.text(message);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (viewer != null) {
            viewer.heard();
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        if (viewer != null) {
            viewer.heard();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (viewer != null) {
            relay.left(viewer);
            sessions.close(session);
        }
    }
}
