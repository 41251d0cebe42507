package dev.headend.session;

import java.util.Locale;

/** Where a viewer session is in its life (see {@link SessionMachine} for the moves between them). */
public enum SessionState {
    /** Opened; the viewer has received no media yet. */
    CREATED,
    /** The viewer receives media. */
    ACTIVE,
    /** The viewer received no media for a while (a paused player, a stalled stream). */
    IDLE,
    /** The last delivery to the viewer failed. */
    ERROR,
    /** Ended: the connection closed, the viewer went quiet for too long, or was kicked. Final. */
    DISCONNECTED;

    /** The name shown in the API and the metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
