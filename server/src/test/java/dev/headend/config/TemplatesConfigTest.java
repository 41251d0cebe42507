package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelTemplate;
import dev.headend.channel.Source;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration file's {@code templates:}: read, checked at load time, made into channels per value. */
class TemplatesConfigTest {
    private static final Path FILE = Path.of("/etc/headend/headend.yml");

    private static HeadendConfig load(String yaml) {
        return new ConfigLoader(Map.of()).parse(yaml, "headend.yml", FILE);
    }

    @Test
    void aTemplateMakesAChannelWithTheValueInItsIdNameAndSource() {
        HeadendConfig config = load("""
                templates:
                  - id: cam-{n}
                    name: Camera {n}
                    source: rtsp://10.0.0.{n}/stream1
                    profile: copy
                  - id: ace-{hash}
                    sources: ["http://engine:6878/ace/getstream?id={hash}", "http://backup:6878/ace/getstream?id={hash}"]
                """);

        assertThat(config.channels()).isEmpty();
        assertThat(config.templates()).extracting(t -> t.pattern().toString()).containsExactly("cam-{n}", "ace-{hash}");
        Channel cam = config.templates().get(0).channel("7");
        assertThat(cam.id()).isEqualTo("cam-7");
        assertThat(cam.name()).isEqualTo("Camera 7");
        assertThat(cam.source()).isEqualTo(new Source.Rtsp(URI.create("rtsp://10.0.0.7/stream1")));
        assertThat(cam.onDemand()).isTrue();
        Channel ace = config.templates().get(1).channel("0f3a9C.x_1-2");
        assertThat(ace.id()).isEqualTo("ace-0f3a9C.x_1-2");
        assertThat(ace.sources()).containsExactly(
                new Source.Http(URI.create("http://engine:6878/ace/getstream?id=0f3a9C.x_1-2")),
                new Source.Http(URI.create("http://backup:6878/ace/getstream?id=0f3a9C.x_1-2")));
        assertThat(ace.name()).as("no name: the id").isEqualTo("ace-0f3a9C.x_1-2");
    }

    @Test
    void aValueStartingWithADashStaysInsideTheUrlAfterTheScheme() {
        ChannelTemplate t = load("""
                templates:
                  - id: "{n}"
                    source: http://engine/get?id={n}
                """).templates().getFirst();

        assertThat(t.channel("a-i").source()).isEqualTo(new Source.Http(URI.create("http://engine/get?id=a-i")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "templates: {id: x}",
        "templates: [cam]",
        "templates: [{source: \"test:\"}]",
        "templates: [{id: cam, source: \"test:\"}]",
        "templates: [{id: \"cam-{n}-{m}\", source: \"test:\"}]",
        "templates: [{id: \"Cam-{n}\", source: \"test:\"}]",
        "templates: [{id: \"cam-{n}\"}]",
        "templates: [{id: \"cam-{n}\", source: \"{n}://host/x\"}]",
        "templates: [{id: \"cam-{n}\", source: \"{n}\"}]",
        "templates: [{id: \"cam-{n}\", source: \"test:\", on_demand: false}]",
        "templates: [{id: \"cam-{n}\", source: \"test:\", colour: red}]",
        "templates: [{id: \"cam-{n}\", source: \"test:\"}, {id: \"cam-{n}\", source: \"test:\"}]"
    })
    void aBadTemplateIsAConfigurationError(String yaml) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining("template");
    }
}
