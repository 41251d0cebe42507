package dev.headend.events;

import java.util.List;

/**
 * What an event says, one record per event type. Every text in it is masked (no credentials)
 * by the factory that makes it ({@link Events}).
 */
public sealed interface EventData {
    /** Every type an event can have, for filters. */
    List<String> TYPES = List.of("stream_started", "stream_ended", "stream_restarting", "stream_recovered",
            "stream_failed", "health_changed", "circuit_opened", "circuit_closed", "failover", "failback",
            "session_started", "session_ended", "publisher_stalled", "config_reloaded", "settings_changed",
            "webhook_test");

    /** The stream started; {@code source} is the one its first run reads. */
    record StreamStarted(int sourceIndex, String source) implements EventData {}

    /**
     * The stream ended.
     *
     * @param reason {@code idle}, {@code stopped}, {@code failed}, {@code server_shutdown},
     *     {@code crashed} (the server died while it ran; told at the next start) or {@code
     *     node_lost} (the cluster node that ran it was lost; told by the node that takes the channel
     *     over, before its {@code stream_started}, the lost node's id in {@code detail})
     */
    record StreamEnded(String reason, String detail) implements EventData {}

    record StreamRestarting(String reason, int restarts) implements EventData {}

    record StreamRecovered(int restarts) implements EventData {}

    record StreamFailed(String reason) implements EventData {}

    /** @param status {@code healthy}, {@code degraded}, {@code unhealthy} or {@code failed} */
    record HealthChanged(String status, String reason) implements EventData {}

    record CircuitOpened() implements EventData {}

    record CircuitClosed() implements EventData {}

    /** The stream moved to a later source. */
    record Failover(int fromIndex, int toIndex, String source) implements EventData {}

    /** The stream went back to its first source. */
    record Failback(int fromIndex, int toIndex, String source) implements EventData {}

    /** The configuration file was reloaded: which channels changed how. */
    record ConfigReloaded(List<String> added, List<String> removed, List<String> updated, List<String> hotSwapped,
            List<String> restarted, List<String> restartRequired) implements EventData {}

    /**
     * Server settings changed (through the API or a reload): which, which of them apply now, and
     * every setting that waits for a restart.
     */
    record SettingsChanged(List<String> changed, List<String> appliedLive, List<String> restartRequired)
            implements EventData {}

    /** A viewer session began ({@code protocol}: hls, ts); {@code session_id} is the sessions API's id. */
    record SessionStarted(String sessionId, String protocol, String remoteAddress) implements EventData {}

    /** A viewer session ended after {@code durationSeconds}, having received {@code bytesSent}. */
    record SessionEnded(String sessionId, String protocol, double durationSeconds, long bytesSent)
            implements EventData {}

    /** A relay publisher sent no frame for {@code silenceSeconds} (the stream's channel id is the relay stream id). */
    record PublisherStalled(double silenceSeconds) implements EventData {}

    /** Sent to one webhook receiver on request, to check it. */
    record WebhookTest(String receiverId) implements EventData {}

    static String type(EventData data) {
        return switch (data) {
            case StreamStarted d -> "stream_started";
            case StreamEnded d -> "stream_ended";
            case StreamRestarting d -> "stream_restarting";
            case StreamRecovered d -> "stream_recovered";
            case StreamFailed d -> "stream_failed";
            case HealthChanged d -> "health_changed";
            case CircuitOpened d -> "circuit_opened";
            case CircuitClosed d -> "circuit_closed";
            case Failover d -> "failover";
            case Failback d -> "failback";
            case ConfigReloaded d -> "config_reloaded";
            case SettingsChanged d -> "settings_changed";
            case SessionStarted d -> "session_started";
            case SessionEnded d -> "session_ended";
            case PublisherStalled d -> "publisher_stalled";
            case WebhookTest d -> "webhook_test";
        };
    }
}
