package dev.headend.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.ManualTime;
import dev.headend.support.SyntheticTs;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the TS segmenter's input, which comes from FFmpeg reading sources the server does
 * not control: whatever the bytes and however they are split into reads, nothing throws and
 * every segment the store lists keeps the store's invariants. Inputs stay small (at most a few
 * hundred kilobytes) so the whole class runs in a few seconds.
 */
class TsSegmenterProperties {
    private static final int PACKET = 188;

    @Property(tries = 200)
    void arbitraryBytesNeverThrowAndListNoSegment(@ForAll @Size(max = 20_000) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 5_000) int chunk) {
        Fed fed = feed(new TargetDuration.FitKeyframes(4, 10), bytes, chunk);

        assertThat(fed.store.playlist().window()).isEmpty();
        assertThat(fed.closed).isEmpty();
    }

    @Property(tries = 200)
    void aDamagedStreamKeepsEveryInvariant(@ForAll @IntRange(min = 1, max = 60) int fps,
            @ForAll @IntRange(min = 1, max = 400) int framesPerKeyframe,
            @ForAll @IntRange(min = 1, max = 12) int seconds,
            @ForAll @IntRange(min = 0, max = 40) int damages,
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4_000) int chunk,
            @ForAll boolean fitKeyframes) {
        byte[] ts = damage(new SyntheticTs(fps, framesPerKeyframe).seconds(seconds), damages, new Random(seed));
        TargetDuration rule = fitKeyframes ? new TargetDuration.FitKeyframes(4, 10) : new TargetDuration.Fixed(2);

        Fed fed = feed(rule, ts, chunk);

        assertInvariants(fed);
    }

    @Property(tries = 100)
    void anUndamagedStreamIsCutOnlyAtKeyframesWhenItsKeyframesFitTheLongestTarget(
            @ForAll @IntRange(min = 5, max = 60) int fps,
            @ForAll @IntRange(min = 1, max = 10) int keyframeSeconds,
            @ForAll @IntRange(min = 1, max = 4) int groups) {
        Fed fed = feed(new TargetDuration.FitKeyframes(4, 10),
                new SyntheticTs(fps, fps * keyframeSeconds).frames(fps * keyframeSeconds * groups + 1), 1_000);

        assertInvariants(fed);
        assertThat(fed.refusals).isEmpty();
        assertThat(fed.store.targetDuration()).isEqualTo(Math.max(4, keyframeSeconds));
        assertThat(fed.closed).allMatch(Segment::independent);
    }

    private static void assertInvariants(Fed fed) {
        SegmentStore store = fed.store;
        double longest = store.targetDuration() + SegmentStore.LONGEST_OVER_TARGET;
        Segment previous = null;
        for (Segment s : fed.closed) {
            byte[] bytes = SampleTs.bytes(s);
            assertThat(bytes.length % PACKET).isZero();
            assertThat(bytes.length).isGreaterThanOrEqualTo(2 * PACKET);
            int unsynced = 0;
            for (int o = 0; o < bytes.length; o += PACKET) {
                unsynced += bytes[o] == 0x47 ? 0 : 1;
            }
            assertThat(unsynced).as("packets without the sync byte").isZero();
            assertThat(SampleTs.pid(bytes, 0)).as("PAT first").isZero();
            assertThat(s.duration()).isPositive().isLessThanOrEqualTo(longest);
            if (previous != null) {
                assertThat(s.sequence()).isEqualTo(previous.sequence() + 1);
                assertThat(s.programDateTime()).isAfter(previous.programDateTime());
            }
            previous = s;
        }
        assertThat(fed.closed.isEmpty() || fed.refusals.isEmpty()).as("a refused run lists nothing").isTrue();
        String playlist = PlaylistWriter.render(store.playlist(), "");
        assertThat(playlist.contains("#EXT-X-INDEPENDENT-SEGMENTS"))
                .isEqualTo(store.playlist().window().stream().allMatch(Segment::independent));
    }

    /** Overwrites, drops and repeats random stretches of {@code ts}: what a lossy network or a broken muxer does. */
    private static byte[] damage(byte[] ts, int damages, Random random) {
        byte[] out = ts;
        for (int i = 0; i < damages && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            int length = Math.min(1 + random.nextInt(2 * PACKET), out.length - at);
            ByteArrayOutputStream next = new ByteArrayOutputStream(out.length + length);
            next.write(out, 0, at);
            switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] noise = new byte[length];
                    random.nextBytes(noise);
                    next.writeBytes(noise);
                }
                case 1 -> { }
                default -> {
                    next.write(out, at, length);
                    next.write(out, at, length);
                }
            }
            next.write(out, at + length, out.length - at - length);
            out = next.toByteArray();
        }
        return out;
    }

    private static Fed feed(TargetDuration rule, byte[] ts, int chunk) {
        Fed fed = new Fed(new SegmentStore(rule, 1_000, SegmentStore.Continuation.FIRST, new ManualTime()));
        TsSegmenter segmenter = fed.store.newRun(1.0, fed.closed::add, fed.refusals::add).segmenter();
        for (int at = 0; at < ts.length; at += chunk) {
            segmenter.accept(ts, at, Math.min(chunk, ts.length - at));
        }
        segmenter.finish();
        return fed;
    }

    private record Fed(SegmentStore store, List<Segment> closed, List<String> refusals) {
        Fed(SegmentStore store) {
            this(store, new ArrayList<>(), new ArrayList<>());
        }
    }
}
