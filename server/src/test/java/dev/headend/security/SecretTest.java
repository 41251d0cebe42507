package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void matchesOnlyTheExactTextAndNeverPrintsIt() {
        Secret s = Secret.of("correct-horse-battery");

        assertThat(s.matches("correct-horse-battery")).isTrue();
        assertThat(s.matches("correct-horse-batter")).isFalse();
        assertThat(s.matches("correct-horse-battery ")).isFalse();
        assertThat(s.matches("")).isFalse();
        assertThat(s.matches(null)).isFalse();
        assertThat(s.toString()).isEqualTo("Secret[***]");
        assertThat(s).isEqualTo(Secret.of("correct-horse-battery")).isNotEqualTo(Secret.of("another-secret-text"));
    }

    @Test
    void aSecretHasAtLeastSixteenCharacters() {
        assertThatThrownBy(() -> Secret.of("fifteen-chars-x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be at least 16 characters long");
        assertThat(Secret.of("sixteen-chars-xy").reveal()).isEqualTo("sixteen-chars-xy");
    }
}
