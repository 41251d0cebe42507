package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.SlateLook;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelTest {
    private static final OutputProfile SMALL = new OutputProfile.H264(Optional.of(320), Optional.of(180),
            Optional.of(25), 300, "ultrafast", AudioMode.AAC);
    private static final SlateLook SLATE = SlateLook.of(SlateLook.Visual.TEXT, SlateLook.Audio.SILENT);

    private static Channel channel(String name, List<Source> sources, OutputProfile profile) {
        return new Channel("cam", name, Optional.empty(), Optional.empty(), Optional.empty(), sources, profile, true,
                Duration.ofSeconds(30), SLATE, Optional.empty(), Optional.empty());
    }

    private static Channel withPolicies(Channel c) {
        return new Channel(c.id(), c.name(), Optional.of(4), Optional.of("Lobby"), Optional.of("logo.png"),
                c.sources(), c.profile(), false, Duration.ofSeconds(300), SLATE.withTitle("Back soon"), Optional.empty(), Optional.empty());
    }

    @Test
    void numberGroupLogoPoliciesAndSlateDoNotChangeThePipeline() {
        Channel file = channel("Lobby", List.of(new Source.MediaFile(Path.of("/media/a.mp4"))), SMALL);

        assertThat(file.samePipeline(withPolicies(file))).isTrue();
        assertThat(file.samePipeline(file)).isTrue();
    }

    @Test
    void sourcesAndProfileDo() {
        Source a = new Source.Rtsp(URI.create("rtsp://192.0.2.1/a"));
        Source b = new Source.Rtsp(URI.create("rtsp://192.0.2.1/b"));
        Channel c = channel("Cam", List.of(a), SMALL);

        assertThat(c.samePipeline(channel("Cam", List.of(b), SMALL))).isFalse();
        assertThat(c.samePipeline(channel("Cam", List.of(a, b), SMALL))).isFalse();
        assertThat(c.samePipeline(channel("Cam", List.of(a), new OutputProfile.Copy(AudioMode.AAC)))).isFalse();
    }

    @Test
    void theNameMattersOnlyToATestPatternWhichDrawsIt() {
        Channel pattern = channel("Bars", List.of(new Source.TestPattern()), SMALL);
        Channel file = channel("Film", List.of(new Source.MediaFile(Path.of("/media/a.mp4"))), SMALL);

        assertThat(pattern.samePipeline(channel("Other bars", pattern.sources(), SMALL))).isFalse();
        assertThat(file.samePipeline(channel("Other film", file.sources(), SMALL))).isTrue();
    }
}
