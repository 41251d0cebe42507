package dev.headend.web.relay;

import dev.headend.relay.Publisher;
import dev.headend.relay.Relay;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket endpoint of one publisher. Messages arrive in parts, which are gathered up to the
 * frame limit (a data URL: up to its base64 length) and no further: the rest of a larger message
 * is read and thrown away, so an oversized frame costs no memory and is reported as such.
 * Jetty calls this endpoint for one part at a time.
 *
 * <p>Public only because Jetty calls its methods through method handles.
 */
public final class PublisherSocket implements Session.Listener.AutoDemanding {
    private final Relay relay;
    private final String streamId;
    private final int maxBytes;
    private final int maxChars;
    private Publisher publisher;
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    private long partSize;

    PublisherSocket(Relay relay, String streamId) {
        this.relay = relay;
        this.streamId = streamId;
        this.maxBytes = relay.settings().maxFrameBytes();
        this.maxChars = (int) Math.min(Integer.MAX_VALUE - 16, (maxBytes + 2L) / 3 * 4 + 128);
    }

    @Override
    public void onWebSocketOpen(Session session) {
        switch (relay.publish(streamId, new JettyLink(session))) {
            case Relay.Admission.Accepted a -> publisher = a.publisher();
            case Relay.Admission.Refused r -> session.close(1008, r.reason(), Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin, Callback callback) {
        if (publisher != null) {
            partSize += payload.remaining();
            if (partSize <= maxBytes) {
                byte[] part = new byte[payload.remaining()];
                payload.get(part);
                binary.writeBytes(part);
            }
            if (fin) {
                if (partSize > maxBytes) {
                    publisher.oversize(partSize);
                } else {
                    publisher.binary(binary.toByteArray());
                }
                binary.reset();
                partSize = 0;
            }
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketPartialText(String payload, boolean fin) {
        if (publisher == null) {
            return;
        }
        partSize += payload.length();
        if (partSize <= maxChars) {
            text.append(payload);
        }
        if (fin) {
            if (partSize > maxChars) {
                publisher.oversize(partSize / 4 * 3);
            } else {
                publisher.text(text.toString());
            }
            text.setLength(0);
            partSize = 0;
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        if (publisher != null) {
            publisher.heard();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (publisher != null) {
            publisher.closed();
        }
    }
}
