package dev.headend.relay;

import java.util.Locale;

/** Why a relayed stream ended, as {@code stream_ended} names it. */
public enum EndReason {
    /** The publisher closed its connection (or it broke). */
    CLOSED,
    /** No frame within the end window, or no answer to keepalive pings. */
    TIMED_OUT,
    /** {@link RelaySettings#INVALID_IN_A_ROW_LIMIT} invalid frames in a row. */
    TOO_MANY_INVALID_FRAMES,
    /** An operator ended it through the API. */
    KICKED;

    /** The name on the wire: {@code timed_out}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
