package dev.headend.stream;

/**
 * A change in a stream's life, as its {@link StreamListener} hears of it: what the event log
 * turns into events. Sources are given as {@link dev.headend.channel.Source#display()} (credentials
 * redacted).
 */
public sealed interface StreamChange {
    String channelId();

    /** Why a stream ended. */
    enum EndReason {
        /** Nobody watched it for the channel's linger time (or its pipeline ended unwatched). */
        IDLE,
        /** Stopped by the operator or by a configuration change. */
        STOPPED,
        /** It could not be (re)started. */
        FAILED,
        /** The server stopped it on its way down. */
        SERVER_SHUTDOWN,
        /** An operator deleted its channel. */
        DELETED,
        /** The cluster node that ran it was lost; another node continues the channel (told there). */
        NODE_LOST
    }

    /** The stream was created and its first run is starting. */
    record Started(String channelId, int sourceIndex, String source) implements StreamChange {}

    /** Its pipeline died while watched; a restart is scheduled. */
    record Restarting(String channelId, String reason, int restarts) implements StreamChange {}

    /** A restarted pipeline produces again. */
    record Recovered(String channelId, int restarts) implements StreamChange {}

    /** It cannot be started; {@link Ended} follows. */
    record Failed(String channelId, String reason) implements StreamChange {}

    /** It is over. */
    record Ended(String channelId, EndReason reason, String detail) implements StreamChange {}

    /** Its health status changed while it ran. */
    record HealthChanged(String channelId, HealthStatus status, String reason) implements StreamChange {}

    /** Its circuit breaker opened: restarts wait for the open period. */
    record CircuitOpened(String channelId) implements StreamChange {}

    /** Its circuit breaker closed again. */
    record CircuitClosed(String channelId) implements StreamChange {}

    /**
     * It moved to another source: a later one (failover) or back to the first (failback).
     *
     * @param source the source it reads now
     */
    record SourceChanged(String channelId, int fromIndex, int toIndex, String source) implements StreamChange {
        public boolean failback() {
            return toIndex < fromIndex;
        }
    }
}
