package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseLifeTest {
    private static final Duration TTL = Duration.ofSeconds(6);
    private final ManualTime time = new ManualTime();

    private LeaseLife granted() {
        return new LeaseLife("cam", "node-a:7", 7, TTL, time.now());
    }

    @Test
    void heldUntilTheTtlAfterTheGrantWasSent() {
        LeaseLife l = granted();

        time.advance(Duration.ofMillis(5999));
        assertThat(l.state(time.now())).isInstanceOf(LeaseLife.State.Held.class);
        time.advance(Duration.ofMillis(1));
        assertThat(l.state(time.now())).isInstanceOf(LeaseLife.State.Lost.class);
        assertThat(l.heldAt(time.now())).isFalse();
    }

    @Test
    void renewalIsDueEveryThirdOfTheTtl() {
        LeaseLife l = granted();

        time.advance(Duration.ofMillis(1999));
        assertThat(l.renewalDue(time.now())).isFalse();
        time.advance(Duration.ofMillis(1));
        assertThat(l.renewalDue(time.now())).isTrue();
        l.renewed(time.now());
        assertThat(l.renewalDue(time.now())).isFalse();
        assertThat(l.validUntil()).isEqualTo(time.now().plus(TTL));
    }

    @Test
    void aRenewalCountsFromWhenItWasSentNotWhenItWasAnswered() {
        LeaseLife l = granted();
        time.advance(Duration.ofSeconds(2));
        var sent = time.now();
        time.advance(Duration.ofSeconds(1)); // a slow answer

        l.renewed(sent);

        assertThat(l.validUntil()).isEqualTo(sent.plus(TTL));
    }

    @Test
    void failedRenewalsChangeNothingSoTheLeaseRunsOut() {
        LeaseLife l = granted();
        for (int i = 0; i < 5; i++) {
            time.advance(Duration.ofSeconds(1)); // renewals sent, no answer: nothing reported
            assertThat(l.heldAt(time.now())).isTrue();
        }
        time.advance(Duration.ofSeconds(1));

        assertThat(l.state(time.now())).isEqualTo(new LeaseLife.State.Lost("not renewed for 6000 ms"
                + " (lease_ttl_seconds)"));
        assertThat(l.renewalDue(time.now())).isFalse();
    }

    @Test
    void aLateSuccessAfterExpiryDoesNotRevive() {
        LeaseLife l = granted();
        time.advance(Duration.ofSeconds(7));

        l.renewed(time.now());

        assertThat(l.heldAt(time.now())).isFalse();
    }

    @Test
    void anotherHolderLosesTheLeaseAtOnceForGood() {
        LeaseLife l = granted();
        time.advance(Duration.ofSeconds(1));

        l.lose("node node-b holds it now");
        l.renewed(time.now());

        assertThat(l.state(time.now())).isEqualTo(new LeaseLife.State.Lost("node node-b holds it now"));
        assertThat(l.renewalDue(time.now().plus(TTL))).isFalse();
    }
}
