package dev.headend.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.channel.ChannelTemplate;
import dev.headend.channel.IdPattern;
import dev.headend.support.TestChannels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ephemeral channels: made from a template by a start, listed while their stream exists, gone with it. */
class StreamManagerTemplatesTest {
    private static final Channel FIXED = TestChannels.onDemand("fixed", "rtsp://192.0.2.1/a");
    private static final ChannelTemplate CAMERAS = new ChannelTemplate() {
        @Override
        public IdPattern pattern() {
            return IdPattern.parse("cam-{n}");
        }

        @Override
        public Channel channel(String value) {
            return TestChannels.onDemand("cam-" + value, "rtsp://10.0.0." + value + "/stream1");
        }
    };

    private final StreamHarness h = new StreamHarness(List.of(FIXED), List.of(CAMERAS));

    private List<String> listed() {
        return h.manager.channels().all().stream().map(Channel::id).toList();
    }

    @Test
    void aStartMakesTheChannelWhichIsListedUntilItsStreamEnds() {
        assertThat(h.manager.lookup("cam-7")).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo("cam-7"));
        assertThat(listed()).as("a lookup makes nothing").containsExactly("fixed");

        LiveStream s = h.start("cam-7");

        assertThat(listed()).containsExactly("fixed", "cam-7");
        assertThat(h.manager.ephemeral("cam-7")).isTrue();
        assertThat(h.manager.configured().find("cam-7")).isEmpty();
        assertThat(h.launcher.launched()).hasSize(1);

        h.manager.stop("cam-7", "stopped by the operator");

        assertThat(s.terminal()).isTrue();
        assertThat(listed()).containsExactly("fixed");
        assertThat(h.manager.ephemeral("cam-7")).isFalse();
    }

    @Test
    void idsTheTemplateDoesNotAcceptAreUnknownAndStartNothing() {
        for (String id : List.of("cam-", "cam-..", "cam--i", "cam-a/b", "cam-a;b", "cam-" + "a".repeat(65), "dog-1")) {
            assertThatThrownBy(() -> h.manager.start(id)).as(id).isInstanceOf(UnknownChannelException.class);
        }
        assertThat(h.launcher.launched()).isEmpty();
        assertThat(listed()).containsExactly("fixed");
    }

    @Test
    void aConfiguredChannelWinsOverTheTemplateAndAdoptsARunningEphemeralStream() {
        h.start("cam-7");
        Channel configured = TestChannels.renamed(CAMERAS.channel("7"), "Front door");

        h.manager.reconfigure(new ChannelCatalog(List.of(FIXED, configured)));

        assertThat(h.manager.ephemeral("cam-7")).isFalse();
        assertThat(h.manager.channels().find("cam-7")).hasValue(configured);
        assertThat(h.manager.find("cam-7").orElseThrow().channel()).isEqualTo(configured);
        h.manager.stop("cam-7", "stopped by the operator");
        assertThat(listed()).as("a configured channel stays").containsExactly("fixed", "cam-7");
    }

    @Test
    void aDeletedChannelsStreamEndsWithReasonDeleted() {
        h.start("fixed");

        h.manager.reconfigure(new ChannelCatalog(List.of()), StreamManager.Removal.DELETED);

        assertThat(h.changes).contains(new StreamChange.Ended("fixed", StreamChange.EndReason.DELETED,
                "channel deleted"));
        assertThat(listed()).isEmpty();
    }
}
