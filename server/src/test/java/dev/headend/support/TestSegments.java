package dev.headend.support;

import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.time.TimeSource;
import java.util.ArrayList;
import java.util.List;

/** Real, closed segments cut from synthetic MPEG-TS, for tests that hand segments around. */
public final class TestSegments {
    private TestSegments() {}

    /** One closed one-second segment. */
    public static Segment closed() {
        List<Segment> closed = new ArrayList<>();
        SegmentStore store = new SegmentStore(1, 6, SegmentStore.Continuation.FIRST, TimeSource.system());
        var segmenter = store.newRun(1.0, closed::add).segmenter();
        byte[] ts = SyntheticTs.standard().frames(26);
        segmenter.accept(ts, 0, ts.length);
        if (closed.isEmpty()) {
            throw new IllegalStateException("the synthetic stream closed no segment");
        }
        return closed.getFirst();
    }
}
