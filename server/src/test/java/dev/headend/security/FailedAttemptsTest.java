package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedAttemptsTest {
    private final ManualTime time = new ManualTime();
    private final FailedAttempts attempts = new FailedAttempts(time);

    @Test
    void anAddressIsBlockedAfterTheLimitUntilTheBlockEnds() {
        for (int i = 0; i < FailedAttempts.LIMIT - 1; i++) {
            attempts.failed("10.0.0.1");
        }
        assertThat(attempts.blocked("10.0.0.1")).isEmpty();

        attempts.failed("10.0.0.1");
        assertThat(attempts.blocked("10.0.0.1")).contains(FailedAttempts.BLOCK);
        assertThat(attempts.blocked("10.0.0.2")).as("other addresses are not blocked").isEmpty();

        time.advance(Duration.ofSeconds(59));
        assertThat(attempts.blocked("10.0.0.1")).contains(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));
        assertThat(attempts.blocked("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverBlock() {
        for (int i = 0; i < 3 * FailedAttempts.LIMIT; i++) {
            attempts.failed("10.0.0.1");
            time.advance(Duration.ofSeconds(7));
        }
        assertThat(attempts.blocked("10.0.0.1")).isEmpty();
    }

    @Test
    void aSuccessClearsTheAddress() {
        for (int i = 0; i < FailedAttempts.LIMIT - 1; i++) {
            attempts.failed("10.0.0.1");
        }
        attempts.succeeded("10.0.0.1");
        attempts.failed("10.0.0.1");

        assertThat(attempts.blocked("10.0.0.1")).isEmpty();
    }

    @Test
    void aFloodFromManyAddressesIsBoundedInMemory() {
        for (int i = 0; i < FailedAttempts.MAX_ADDRESSES + 500; i++) {
            attempts.failed("a" + i);
        }
        for (int i = 0; i < FailedAttempts.LIMIT; i++) {
            attempts.failed("last");
        }
        assertThat(attempts.remembered()).isEqualTo(FailedAttempts.MAX_ADDRESSES);
        assertThat(attempts.blocked("last")).isPresent();
    }
}
