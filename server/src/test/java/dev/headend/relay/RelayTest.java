package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import dev.headend.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The relay engine with fake links and a manual clock: fan-out, slots, deadlines, keepalive. */
class RelayTest {
    private static final RelaySettings SETTINGS = new RelaySettings(10_000, Duration.ofSeconds(10),
            Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(45));

    private final ManualTime time = new ManualTime();
    private final List<String> stalls = new ArrayList<>();
    private final Relay relay = new Relay(SETTINGS, time, (id, silence) -> stalls.add(id + " " + silence));

    private Publisher publish(String id, FakeLink link) {
        return ((Relay.Admission.Accepted) relay.publish(id, link)).publisher();
    }

    private static byte[] jpeg() {
        return TestImages.jpeg(32, 24, 200);
    }

    @Test
    void aSlowViewerKeepsOnlyTheLatestFrameAndCountsTheRestAsDroppedWhileOthersGetEveryFrame() {
        Publisher p = publish("cam", new FakeLink());
        FakeLink slowLink = new FakeLink();
        FakeLink fastLink = new FakeLink();
        Viewer slow = relay.watch(Optional.of("cam"), slowLink, ViewerDelivery.NONE);
        Viewer fast = relay.watch(Optional.of("cam"), fastLink, ViewerDelivery.NONE);
        slowLink.hold = true;

        for (int i = 0; i < 5; i++) {
            p.binary(jpeg());
        }

        assertThat(fastLink.sequences()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(fast.framesDropped()).isZero();
        // frame 1 is in flight; 2, 3 and 4 were replaced in the slot by the next one; 5 waits
        assertThat(slowLink.sequences()).containsExactly(1L);
        assertThat(slow.framesDropped()).isEqualTo(3);
        slowLink.completeHeld();
        assertThat(slowLink.sequences()).containsExactly(1L, 5L);
        assertThat(relay.counters().framesDropped()).isEqualTo(3);
        assertThat(p.tally().framesOut()).isEqualTo(7);
    }

    @Test
    void aViewerIsGreetedFirstThenGetsTheLatestFrame() {
        Publisher p = publish("cam", new FakeLink());
        p.binary(jpeg());
        p.binary(TestImages.png(64, 48));
        FakeLink link = new FakeLink();

        relay.watch(Optional.empty(), link, ViewerDelivery.NONE);

        assertThat(link.types()).containsExactly("viewer_connected");
        assertThat(link.texts.getFirst()).contains("\"active_streams\":[{\"id\":\"cam\"")
                .contains("\"width\":64,\"height\":48").contains("\"viewers\":1");
        assertThat(link.sequences()).containsExactly(2L);
    }

    @Test
    void aStuckViewerIsRemovedAfterTheSendTimeoutAndNobodyElseNotices() {
        Publisher p = publish("cam", new FakeLink());
        FakeLink stuck = new FakeLink();
        FakeLink other = new FakeLink();
        relay.watch(Optional.of("cam"), stuck, ViewerDelivery.NONE);
        relay.watch(Optional.of("cam"), other, ViewerDelivery.NONE);
        stuck.hold = true;
        p.binary(jpeg());

        time.advance(Duration.ofMillis(1000));
        relay.tick();
        assertThat(stuck.aborted).isFalse();
        time.advance(Duration.ofMillis(1));
        relay.tick();

        assertThat(stuck.aborted).isTrue();
        assertThat(relay.viewerCount()).isEqualTo(1);
        assertThat(relay.counters().viewersRemoved()).isEqualTo(1);
        p.binary(jpeg());
        assertThat(other.sequences()).containsExactly(1L, 2L);
        assertThat(stuck.sequences()).containsExactly(1L);
    }

    @Test
    void aFailedSendRemovesTheViewerAtOnce() {
        Publisher p = publish("cam", new FakeLink());
        FakeLink broken = new FakeLink();
        relay.watch(Optional.of("cam"), broken, ViewerDelivery.NONE);
        broken.failSends = true;

        p.binary(jpeg());

        assertThat(relay.viewerCount()).isZero();
        assertThat(broken.aborted).isTrue();
    }

    @Test
    void aSilentPublisherIsStalledOnceThenEndedAndEveryViewerIsTold() {
        FakeLink publisherLink = new FakeLink();
        Publisher p = publish("cam", publisherLink);
        FakeLink one = new FakeLink();
        FakeLink all = new FakeLink();
        FakeLink other = new FakeLink();
        relay.watch(Optional.of("cam"), one, ViewerDelivery.NONE);
        relay.watch(Optional.empty(), all, ViewerDelivery.NONE);
        relay.watch(Optional.of("elsewhere"), other, ViewerDelivery.NONE);
        p.binary(jpeg());

        time.advance(Duration.ofMillis(9_999));
        relay.tick();
        assertThat(stalls).isEmpty();
        time.advance(Duration.ofMillis(1));
        relay.tick();
        time.advance(Duration.ofSeconds(1));
        relay.tick();
        assertThat(stalls).containsExactly("cam PT10S");
        assertThat(relay.streamCount()).isEqualTo(1);

        time.advance(Duration.ofSeconds(4));
        relay.tick();

        assertThat(relay.streamCount()).isZero();
        assertThat(publisherLink.closeCode).isEqualTo(1008);
        assertThat(one.texts.getLast()).isEqualTo("{\"type\":\"stream_ended\",\"stream_id\":\"cam\",\"reason\":\"timed_out\"}");
        assertThat(all.types().getLast()).isEqualTo("stream_ended");
        assertThat(other.types()).containsExactly("viewer_connected");
        assertThat(stalls).hasSize(1);
    }

    @Test
    void aFrameAfterAStallStartsANewSilence() {
        Publisher p = publish("cam", new FakeLink());
        time.advance(Duration.ofSeconds(10));
        relay.tick();
        p.binary(jpeg());
        time.advance(Duration.ofSeconds(10));
        relay.tick();

        assertThat(stalls).hasSize(2);
        assertThat(relay.streamCount()).isEqualTo(1);
    }

    @Test
    void aSecondPublisherIsRefusedAndTheFirstKeepsItsStream() {
        Publisher first = publish("cam", new FakeLink());

        Relay.Admission second = relay.publish("cam", new FakeLink());

        assertThat(second).isEqualTo(new Relay.Admission.Refused("stream cam already has a publisher"));
        assertThat(relay.counters().publishersRefused()).isEqualTo(1);
        first.closed();
        assertThat(relay.publish("cam", new FakeLink())).isInstanceOf(Relay.Admission.Accepted.class);
    }

    @Test
    void tenInvalidFramesInARowCloseThePublisherAndNothingReachesViewers() {
        FakeLink publisherLink = new FakeLink();
        Publisher p = publish("cam", publisherLink);
        FakeLink viewer = new FakeLink();
        relay.watch(Optional.of("cam"), viewer, ViewerDelivery.NONE);

        for (int i = 0; i < 9; i++) {
            p.binary(new byte[] {1, 2, 3});
        }
        assertThat(publisherLink.closeCode).isNull();
        p.oversize(20_000);

        assertThat(publisherLink.closeCode).isEqualTo(1003);
        assertThat(publisherLink.closeReason).isEqualTo("10 invalid frames in a row");
        assertThat(viewer.binaries).isEmpty();
        assertThat(viewer.types()).containsExactly("viewer_connected", "stream_ended");
        assertThat(relay.counters().invalidFrames()).isEqualTo(10);
    }

    @Test
    void connectionsArePingedAndThoseThatAnswerNothingAreRemoved() {
        FakeLink publisherLink = new FakeLink();
        Publisher p = publish("cam", publisherLink);
        FakeLink quiet = new FakeLink();
        FakeLink lively = new FakeLink();
        relay.watch(Optional.of("cam"), quiet, ViewerDelivery.NONE);
        Viewer answering = relay.watch(Optional.of("cam"), lively, ViewerDelivery.NONE);

        for (int s = 0; s < 45; s += 5) {
            time.advance(Duration.ofSeconds(5));
            p.binary(jpeg());
            p.heard();
            answering.heard();
            relay.tick();
        }
        assertThat(quiet.pings).isEqualTo(3);
        assertThat(publisherLink.pings).isEqualTo(3);
        time.advance(Duration.ofSeconds(1));
        answering.heard();
        relay.tick();

        assertThat(quiet.aborted).isTrue();
        assertThat(lively.aborted).isFalse();
        assertThat(relay.viewerCount()).isEqualTo(1);
    }

    @Test
    void aViewerPingIsAnsweredInOrderWithItsOtherMessages() {
        relay.watch(Optional.empty(), new FakeLink(), ViewerDelivery.NONE);
        FakeLink link = new FakeLink();
        Viewer v = relay.watch(Optional.empty(), link, ViewerDelivery.NONE);

        v.text("{\"type\":\"ping\"}");
        v.text("not json");

        assertThat(link.types()).containsExactly("viewer_connected", "pong");
    }
}
