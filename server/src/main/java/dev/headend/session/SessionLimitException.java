package dev.headend.session;

/**
 * A new viewer of a channel (or relay stream, or of every relay stream) that already has {@code
 * max_sessions_per_channel} sessions.
 */
public final class SessionLimitException extends RuntimeException {
    /** The {@code Retry-After} a refused viewer is given, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 10;

    public SessionLimitException(String channelId, int limit) {
        super((channelId.equals(SessionRegistry.ALL_STREAMS) ? "the viewers of every relay stream (/ws/watch) have"
                : "channel " + channelId + " already has") + " its " + limit + " viewer session"
                + (limit == 1 ? "" : "s") + " (max_sessions_per_channel); try again later", null, false, false);
    }
}
