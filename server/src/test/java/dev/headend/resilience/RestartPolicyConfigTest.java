package dev.headend.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyConfigTest {

    @Test
    void defaultsMatchTheDocumentedLimits() {
        assertThat(RestartPolicy.Config.defaults()).isEqualTo(new RestartPolicy.Config(10, Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120)));
    }

    @Test
    void aConfigThatCouldNeverAllowARestartIsRejectedNamingTheLimit() {
        assertThatThrownBy(() -> new RestartPolicy.Config(0, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globalMaxRestarts");
        assertThatThrownBy(() -> new RestartPolicy.Config(10, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globalWindow");
        assertThatThrownBy(() -> new RestartPolicy.Config(10, Duration.ofSeconds(60), Duration.ofSeconds(-1),
                Duration.ofSeconds(30), 5, Duration.ofSeconds(300), Duration.ofSeconds(120)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cooldown");
    }
}
