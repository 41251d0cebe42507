package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.SlateLook.Audio;
import dev.headend.channel.SlateLook.Visual;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlateLookTest {
    @Test
    void defaultsAreTheStandardTitleOnTheStandardBackground() {
        SlateLook look = SlateLook.of(Visual.TEXT, Audio.SILENT);

        assertThat(look.title()).isEqualTo("We'll be right back");
        assertThat(look.subtitle()).isEmpty();
        assertThat(look.channelLine()).isEmpty();
        assertThat(look.background()).isEqualTo("#101820");
        assertThat(look.image()).isEmpty();
    }

    @Test
    void aBackgroundThatIsNotAHexColourIsRefusedSoNothingReachesTheFilterGraph() {
        SlateLook look = SlateLook.of(Visual.SLATE, Audio.SILENT);

        assertThatThrownBy(() -> look.withBackground("red,drawtext=text=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#RRGGBB");
        assertThatThrownBy(() -> look.withBackground("#10182"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#RRGGBB");
        assertThat(look.background()).isEqualTo("#101820");
    }

    @Test
    void anImageGoesWithTheStaticVisualOnly() {
        assertThatThrownBy(() -> SlateLook.of(Visual.STATIC, Audio.SILENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STATIC");
        assertThatThrownBy(() -> new SlateLook(Visual.TEXT, Audio.SILENT, "", "", "", "#000000",
                Optional.of(Path.of("a.png")), SlateStatus.OFF))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STATIC");
    }
}
