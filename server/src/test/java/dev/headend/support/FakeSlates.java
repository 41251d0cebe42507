package dev.headend.support;

import dev.headend.channel.Channel;
import dev.headend.media.Segment;
import dev.headend.slate.SlateProvider;
import dev.headend.slate.SlateReadiness;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Slates for tests without FFmpeg: one-second synthetic segments, ready at once, whose status
 * line says when the stream is expected back (the wall time asked for, or nothing). Records the
 * channels it was asked to prepare.
 */
public final class FakeSlates implements SlateProvider {
    private final List<String> prepared = new CopyOnWriteArrayList<>();
    private final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    public Optional<SlateSequence> start(Channel channel, Optional<Segment> reference, long startPts,
            Supplier<Optional<Instant>> returnAt) {
        started.add(channel.id());
        SyntheticTs ts = SyntheticTs.standard();
        long[] pts = {startPts};
        return Optional.of(() -> {
            byte[] bytes = ts.seconds(1);
            SlatePiece piece = new SlatePiece(bytes, 1.0, pts[0], returnAt.get().map(Instant::toString).orElse(""));
            pts[0] += 90_000;
            return piece;
        });
    }

    @Override
    public void prepare(Channel channel, Segment reference) {
        prepared.add(channel.id());
    }

    @Override
    public SlateReadiness readiness(Channel channel) {
        return SlateReadiness.READY;
    }

    /** The channels whose slate was prepared, in order (once per run that became live). */
    public List<String> prepared() {
        return List.copyOf(prepared);
    }

    /** The channels that showed a slate, in order (once per slate period). */
    public List<String> started() {
        return List.copyOf(started);
    }
}
