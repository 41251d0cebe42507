package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdPatternTest {
    private final IdPattern cam = IdPattern.parse("cam-{n}");

    @Test
    void takesTheValueBetweenPrefixAndSuffix() {
        assertThat(cam.match("cam-7")).hasValue("7");
        assertThat(cam.match("cam-camera1_MediaProfile00000")).hasValue("camera1_MediaProfile00000");
        assertThat(IdPattern.parse("ace-{hash}").match("ace-0f3a9c.v2")).hasValue("0f3a9c.v2");
        assertThat(IdPattern.parse("{n}-hd").match("lobby-hd")).hasValue("lobby");
        assertThat(IdPattern.parse("{n}").match("Anything9")).hasValue("Anything9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cam-", "cam", "dog-1", "cam-..", "cam-.", "cam-../x", "cam-%2f", "cam--i", "cam-a/b",
        "cam-a b", "cam-a;b", "cam-a|b", "cam-$(id)", "cam-a\u00e9", "cam-\u0000", "cam-.hidden", "cam-_x"})
    void refusesWhatIsNotAnAcceptableValue(String id) {
        assertThat(cam.match(id)).isEmpty();
    }

    @Test
    void refusesAValueLongerThan64Characters() {
        assertThat(cam.match("cam-" + "a".repeat(64))).hasValue("a".repeat(64));
        assertThat(cam.match("cam-" + "a".repeat(65))).isEmpty();
        assertThat(cam.match("cam-" + "a".repeat(10_240))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cam", "cam-{n}-{m}", "cam-{}", "CAM-{n}", "cam/{n}", "cam-{N}", "cam-{n", "cam-n}",
        "{n}.ts", "cam-{9}"})
    void refusesAPatternWithoutExactlyOneWellFormedPlaceholder(String pattern) {
        assertThatThrownBy(() -> IdPattern.parse(pattern)).isInstanceOf(InvalidChannelException.class)
                .hasMessageContaining(pattern.contains("{") && pattern.contains("}") ? "template id" : "placeholder");
    }

    @Test
    void writesItselfAsGiven() {
        assertThat(cam).hasToString("cam-{n}");
        assertThat(cam.token()).isEqualTo("{n}");
    }
}
