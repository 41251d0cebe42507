package dev.headend.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemVersionsTest {
    private static final SharedItem A1 = SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "6");
    private static final SharedItem A2 = SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "8");
    private static final SharedItem CAM = SharedItem.set(SharedItem.Kind.CHANNEL, "cam", "{}");
    private static final SharedItem CAM_GONE = SharedItem.removed(SharedItem.Kind.CHANNEL, "cam");

    private final ItemVersions versions = new ItemVersions();

    private static SharedItem.Versioned v(SharedItem item, long seq) {
        return new SharedItem.Versioned(item, seq);
    }

    @Test
    void anItemNeverSeenIsNewerAndOnceAppliedTheSameChangeIsNot() {
        assertThat(versions.newer(List.of(v(A1, 3)))).containsExactly(v(A1, 3));

        versions.applied(List.of(v(A1, 3)));

        assertThat(versions.newer(List.of(v(A1, 3)))).isEmpty();
        assertThat(versions.seq(A1.id())).isEqualTo(3);
    }

    @Test
    void anOlderChangeArrivingLateNeverReplacesANewerOne() {
        versions.applied(List.of(v(A2, 7)));

        assertThat(versions.newer(List.of(v(A1, 6)))).isEmpty();
        assertThat(versions.newer(List.of(v(A1, 8)))).containsExactly(v(A1, 8));
    }

    @Test
    void aChangeMadeHereIsNotAppliedAgainWhenItComesBack() {
        versions.applied(List.of(A2), 9);

        assertThat(versions.newer(List.of(v(A2, 9)))).isEmpty();
        assertThat(versions.newer(List.of(v(A1, 5)))).isEmpty();
    }

    @Test
    void recordingALowerNumberKeepsTheHigherOne() {
        versions.applied(List.of(v(CAM, 5)));
        versions.applied(List.of(v(CAM_GONE, 4)));

        assertThat(versions.seq(CAM.id())).isEqualTo(5);
    }

    @Test
    void ofSeveralChangesOfOneItemOnlyTheNewestIsOfferedAndKindsAreApart() {
        SharedItem setting = SharedItem.set(SharedItem.Kind.SETTING, "cam", "x");

        assertThat(versions.newer(List.of(v(CAM, 2), v(setting, 3), v(CAM_GONE, 4), v(CAM, 1))))
                .containsExactly(v(CAM_GONE, 4), v(setting, 3));
    }
}
