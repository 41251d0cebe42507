package dev.headend.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.events.WebhookDefinition;
import dev.headend.events.WebhookTarget;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhooksConfigTest {
    private static final Path FILE = Path.of("/etc/headend/headend.yml");

    private static HeadendConfig parse(String yaml) {
        return new ConfigLoader(Map.of("HOOK_TOKEN", "token-from-the-environment")).parse(yaml, "test.yml", FILE);
    }

    @Test
    void receiversAreReadWithTheirDefaults() {
        HeadendConfig c = parse("""
                webhooks:
                  - url: https://orchestrator.example.com/events
                    token: ${HOOK_TOKEN}
                    secret: signing-secret-0123456789
                    events: [stream_started, stream_ended]
                    timeout_seconds: 3
                  - id: dashboard
                    url: http://192.0.2.5:9000/hook
                """);

        assertThat(c.webhooks()).hasSize(2);
        WebhookTarget first = c.webhooks().getFirst();
        assertThat(first.id()).startsWith("webhook-").hasSize("webhook-".length() + 8);
        assertThat(first.url()).isEqualTo(URI.create("https://orchestrator.example.com/events"));
        assertThat(first.token().orElseThrow().reveal()).isEqualTo("token-from-the-environment");
        assertThat(first.secret()).isPresent();
        assertThat(first.events()).isEqualTo(Set.of("stream_started", "stream_ended"));
        assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(first.wants("stream_started")).isTrue();
        assertThat(first.wants("health_changed")).isFalse();
        WebhookTarget second = c.webhooks().get(1);
        assertThat(second.id()).isEqualTo("dashboard");
        assertThat(second.token()).isEmpty();
        assertThat(second.events()).isEmpty();
        assertThat(second.wants("health_changed")).isTrue();
        assertThat(second.wants("webhook_test")).as("only sent on request").isFalse();
        assertThat(second.timeout()).isEqualTo(WebhookDefinition.DEFAULT_TIMEOUT);
        assertThat(parse("channels: []\n").webhooks()).isEmpty();
    }

    @Test
    void theDerivedIdStaysTheSameForTheSameUrl() {
        String yaml = "webhooks:\n  - url: https://a.example/h\n";
        assertThat(parse(yaml).webhooks().getFirst().id()).isEqualTo(parse(yaml).webhooks().getFirst().id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "webhooks: {url: http://a.example}|'webhooks' must be a list",
            "webhooks: [{token: abcdefghijklmnopqrst}]|url is required",
            "webhooks: [{url: ftp://a.example/x}]|url must be an http or https URL",
            "webhooks: [{url: 'http://user:pw@a.example/x'}]|url must be an http or https URL",
            "webhooks: [{url: http://a.example, token: short}]|token must be at least 16 characters",
            "webhooks: [{url: http://a.example, secret: short}]|secret must be at least 16 characters",
            "webhooks: [{url: http://a.example, events: [stream_exploded]}]|unknown event type",
            "webhooks: [{url: http://a.example, events: stream_started}]|events must be a list",
            "webhooks: [{url: http://a.example, timeout_seconds: 0}]|timeout_seconds must be a whole number from 1 to 120",
            "webhooks: [{url: http://a.example, timeout_seconds: 2.5}]|timeout_seconds must be a whole number",
            "webhooks: [{url: http://a.example, retries: 3}]|unknown key 'retries'",
            "webhooks: [{url: http://a.example, id: Bad Id}]|id must be lowercase letters",
            "webhooks: [{url: http://a.example, id: x}, {url: http://b.example, id: x}]|webhook x is defined twice",
            "webhooks: [plain]|must be a mapping with a url"
    })
    void badReceiversAreRefusedSayingWhy(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void aRefusedUrlIsShownMasked() {
        assertThatThrownBy(() -> parse("webhooks: [{url: 'ftp://user:hunter2@a.example/x'}]"))
                .isInstanceOf(ConfigException.class)
                .message().doesNotContain("hunter2");
    }
}
