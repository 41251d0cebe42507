package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headend.stream.HealthStatus;
import dev.headend.stream.StreamChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventSerializationTest {
    private static final UUID ID = UUID.fromString("0b5c5d2e-6b55-4c43-9d84-5f3a4fd2c001");
    private static final Instant TIME = Instant.parse("2030-01-01T12:00:00.250Z");

    private static JsonNode json(Optional<String> channel, EventData data) {
        return new Event(ID, 42, TIME, channel, "node-1", data).toJson();
    }

    @Test
    void theEnvelopeHasEveryFieldInSnakeCase() {
        JsonNode j = json(Optional.of("cam"), new EventData.StreamStarted(1, "rtsp://192.0.2.1/a"));

        assertThat(j.fieldNames()).toIterable().containsExactly("event_id", "sequence", "type", "time",
                "channel_id", "node", "data");
        assertThat(j.get("event_id").asText()).isEqualTo(ID.toString());
        assertThat(j.get("sequence").asLong()).isEqualTo(42);
        assertThat(j.get("type").asText()).isEqualTo("stream_started");
        assertThat(j.get("time").asText()).isEqualTo("2030-01-01T12:00:00.250Z");
        assertThat(j.get("channel_id").asText()).isEqualTo("cam");
        assertThat(j.get("node").asText()).isEqualTo("node-1");
        assertThat(j.get("data").get("source_index").asInt()).isEqualTo(1);
        assertThat(j.get("data").get("source").asText()).isEqualTo("rtsp://192.0.2.1/a");
    }

    @Test
    void aServerEventHasANullChannel() {
        JsonNode j = json(Optional.empty(), new EventData.ConfigReloaded(List.of("a"), List.of(), List.of(),
                List.of("b"), List.of(), List.of("port")));

        assertThat(j.get("channel_id").isNull()).isTrue();
        assertThat(j.get("type").asText()).isEqualTo("config_reloaded");
        assertThat(j.get("data").get("hot_swapped").get(0).asText()).isEqualTo("b");
        assertThat(j.get("data").get("restart_required").get(0).asText()).isEqualTo("port");
    }

    @Test
    void everyTypeIsListedForFilters() {
        List<EventData> one = List.of(new EventData.StreamStarted(0, ""), new EventData.StreamEnded("idle", ""),
                new EventData.StreamRestarting("", 1), new EventData.StreamRecovered(1), new EventData.StreamFailed(""),
                new EventData.HealthChanged("healthy", null), new EventData.CircuitOpened(),
                new EventData.CircuitClosed(), new EventData.Failover(0, 1, ""), new EventData.Failback(1, 0, ""),
                new EventData.SessionStarted("s", "hls", "127.0.0.1"), new EventData.SessionEnded("s", "ts", 1.5, 10),
                new EventData.PublisherStalled(10.0),
                new EventData.ConfigReloaded(List.of(), List.of(), List.of(), List.of(), List.of(), List.of()),
                new EventData.SettingsChanged(List.of("window_segments"), List.of("window_segments"), List.of()),
                new EventData.WebhookTest("w"));

        assertThat(one.stream().map(EventData::type).toList()).containsExactlyElementsOf(EventData.TYPES);
    }

    @Test
    void streamChangesBecomeEventsWithCredentialsMasked() {
        EventData started = Events.of(new StreamChange.Started("cam", 0, "rtsp://admin:pw@192.0.2.1/a?token=abc"));
        EventData ended = Events.of(new StreamChange.Ended("cam", StreamChange.EndReason.SERVER_SHUTDOWN,
                "server shutting down"));
        EventData restarting = Events.of(new StreamChange.Restarting("cam",
                "ffmpeg: http://user:secret@example.com/live?password=hunter2 refused", 2));
        EventData back = Events.of(new StreamChange.SourceChanged("cam", 1, 0, "rtsp://192.0.2.1/a"));
        EventData over = Events.of(new StreamChange.SourceChanged("cam", 0, 1, "rtsp://192.0.2.2/b"));
        EventData health = Events.of(new StreamChange.HealthChanged("cam", HealthStatus.DEGRADED, "speed 0.8"));

        assertThat(started.toString()).doesNotContain("pw@").doesNotContain("abc");
        assertThat(ended).isEqualTo(new EventData.StreamEnded("server_shutdown", "server shutting down"));
        assertThat(restarting.toString()).doesNotContain("secret").doesNotContain("hunter2");
        assertThat(back).isInstanceOf(EventData.Failback.class);
        assertThat(over).isInstanceOf(EventData.Failover.class);
        assertThat(health).isEqualTo(new EventData.HealthChanged("degraded", "speed 0.8"));
    }
}
