package dev.headend.relay;

/**
 * Told how a viewer's sends end (its viewer session listens, through the socket that opened it).
 * Called on the thread that completed the send, without any relay or viewer lock held; must
 * return at once.
 */
public interface ViewerDelivery {
    /** Nothing listens. */
    ViewerDelivery NONE = new ViewerDelivery() {
        @Override
        public void frameSent(int bytes) {}

        @Override
        public void sendFailed() {}
    };

    /** A frame message of {@code bytes} (its header included) was written to the viewer. */
    void frameSent(int bytes);

    /** A send to the viewer failed; the relay removes the viewer. */
    void sendFailed();
}
