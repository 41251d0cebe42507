package dev.headend.session;

/** A new viewer of a channel that already has {@code max_sessions_per_channel} sessions. */
public final class SessionLimitException extends RuntimeException {
    public SessionLimitException(String channelId, int limit) {
        super("channel " + channelId + " already has its " + limit + " viewer session" + (limit == 1 ? "" : "s")
                + " (max_sessions_per_channel); try again later", null, false, false);
    }
}
