package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SegmentCacheTest {
    @Test
    void aSegmentIsFetchedOnceAndTheLeastRecentlyUsedGoFirst() throws Exception {
        SegmentCache cache = new SegmentCache(2);
        AtomicInteger fetches = new AtomicInteger();

        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("cam", 1, () -> new byte[] {(byte) fetches.incrementAndGet()})).containsExactly(1);
        }
        cache.get("cam", 2, () -> new byte[] {(byte) fetches.incrementAndGet()});
        cache.get("cam", 1, () -> new byte[0]); // used: 2 is now the eldest
        cache.get("news", 2, () -> new byte[] {(byte) fetches.incrementAndGet()});

        assertThat(fetches).hasValue(3);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("cam", 2, () -> new byte[] {42})).containsExactly(42);
    }

    @Test
    void aFailedFetchIsNotKept() throws Exception {
        SegmentCache cache = new SegmentCache(4);

        assertThatThrownBy(() -> cache.get("cam", 1, () -> {
            throw new IOException("owner gone");
        })).isInstanceOf(IOException.class);

        assertThat(cache.size()).isZero();
        assertThat(cache.get("cam", 1, () -> new byte[] {7})).containsExactly(7);
    }
}
