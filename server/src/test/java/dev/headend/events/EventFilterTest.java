package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    @Test
    void noParametersLetEverythingThrough() {
        EventFilter f = EventFilter.parse(Optional.empty(), Optional.empty());

        assertThat(f).isEqualTo(EventFilter.ALL);
        assertThat(f.matches("stream_started", Optional.of("cam"))).isTrue();
        assertThat(f.matches("config_reloaded", Optional.empty())).isTrue();
    }

    @Test
    void channelsAndTypesAreCommaSeparatedAndBothMustMatch() {
        EventFilter f = EventFilter.parse(Optional.of("cam, lobby,"), Optional.of("stream_started,stream_ended"));

        assertThat(f.channelIds()).isEqualTo(Set.of("cam", "lobby"));
        assertThat(f.matches("stream_ended", Optional.of("lobby"))).isTrue();
        assertThat(f.matches("stream_ended", Optional.of("other"))).isFalse();
        assertThat(f.matches("health_changed", Optional.of("cam"))).isFalse();
    }

    @Test
    void serverEventsPassOnlyWithoutAChannelFilter() {
        assertThat(EventFilter.parse(Optional.of("cam"), Optional.empty()).matches("config_reloaded",
                Optional.empty())).isFalse();
        assertThat(EventFilter.parse(Optional.empty(), Optional.of("config_reloaded")).matches("config_reloaded",
                Optional.empty())).isTrue();
    }

    @Test
    void anUnknownTypeIsRefusedByName() {
        assertThatThrownBy(() -> EventFilter.parse(Optional.empty(), Optional.of("stream_started,stream_exploded")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown event type 'stream_exploded'")
                .hasMessageContaining("stream_started");
    }
}
