package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandoverTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private final ManualTime time = new ManualTime();
    private final Handover h = new Handover("cam", "node-b", LIMIT, time.now());

    private Handover.Action step(boolean ready, String holder) {
        return h.step(time.now(), ready, Optional.ofNullable(holder), "node-a");
    }

    @Test
    void theLeaseIsReleasedOnlyOnceTheTakerIsReadyAndTheHandOverEndsWhenItHoldsIt() {
        assertThat(step(false, "node-a")).isEqualTo(Handover.Action.NONE);
        assertThat(h.label()).isEqualTo("offered");

        assertThat(step(true, "node-a")).isEqualTo(Handover.Action.RELEASE);
        assertThat(h.state()).isEqualTo(new Handover.State.Released());

        assertThat(step(true, null)).isEqualTo(Handover.Action.NONE);
        assertThat(step(true, "node-b")).isEqualTo(Handover.Action.END);
        assertThat(h.state()).isEqualTo(new Handover.State.Done("node-b"));
        assertThat(h.over()).isTrue();
        assertThat(step(true, "node-b")).isEqualTo(Handover.Action.NONE);
    }

    @Test
    void aTakerThatMakesNoSegmentInTimeFailsTheHandOverAndTheGiverKeepsTheChannel() {
        time.advance(LIMIT.minusMillis(1));
        assertThat(step(false, "node-a")).isEqualTo(Handover.Action.NONE);

        time.advance(Duration.ofMillis(1));

        assertThat(step(false, "node-a")).isEqualTo(Handover.Action.END);
        assertThat(h.state()).isInstanceOf(Handover.State.Failed.class);
        assertThat(h.label()).isEqualTo("failed");
    }

    @Test
    void aReleasedLeaseNobodyTakesInTimeFails() {
        assertThat(step(true, "node-a")).isEqualTo(Handover.Action.RELEASE);
        time.advance(LIMIT);

        assertThat(step(true, null)).isEqualTo(Handover.Action.END);
        assertThat(((Handover.State.Failed) h.state()).reason()).contains("did not take the lease");
    }

    @Test
    void aLeaseLostOrTakenByAnotherNodeEndsTheHandOverWithoutARelease() {
        Handover lost = new Handover("x", "node-b", LIMIT, time.now());
        assertThat(lost.step(time.now(), true, Optional.empty(), "node-a")).isEqualTo(Handover.Action.END);
        assertThat(lost.state()).isInstanceOf(Handover.State.Failed.class);

        assertThat(step(false, "node-c")).isEqualTo(Handover.Action.END);
        assertThat(h.state()).isEqualTo(new Handover.State.Done("node-c"));
    }
}
