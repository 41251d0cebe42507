package dev.headend.slate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slate clips of a server, made on first request and kept for its lifetime.
 *
 * <p>Invariants: at most one FFmpeg run per (format, look, segment duration) is in flight or
 * done; concurrent requests for a key wait for the first requester's run and all get the same
 * clip. A failed run is not cached: its waiters get the failure, and the next request tries
 * again. Thread-safe.
 */
public final class SlateLibrary {
    private record Key(MediaFormat format, SlateLook look, int segmentSeconds) {}

    private final String ffmpeg;
    private final Path workDir;
    private final ConcurrentMap<Key, CompletableFuture<SlateClip>> clips = new ConcurrentHashMap<>();
    private final AtomicInteger made = new AtomicInteger();

    /** @param workDir an existing directory for the FFmpeg runs' text files */
    public SlateLibrary(String ffmpeg, Path workDir) {
        this.ffmpeg = ffmpeg;
        this.workDir = workDir;
    }

    /** The clip for this key: made now by the first caller, waited for by the others. */
    public SlateClip clip(MediaFormat format, SlateLook look, int segmentSeconds)
            throws IOException, InterruptedException {
        Key key = new Key(format, look, segmentSeconds);
        CompletableFuture<SlateClip> mine = new CompletableFuture<>();
        CompletableFuture<SlateClip> existing = clips.putIfAbsent(key, mine);
        if (existing == null) {
            return make(key, mine);
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            throw new IOException("the slate could not be made: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** FFmpeg runs started so far (successful or not). */
    public int made() {
        return made.get();
    }

    private SlateClip make(Key key, CompletableFuture<SlateClip> result) throws IOException, InterruptedException {
        made.incrementAndGet();
        try {
            SlateClip clip = SlateMaker.make(ffmpeg, workDir, key.format(), key.look(), key.segmentSeconds());
            result.complete(clip);
            return clip;
        } catch (IOException | InterruptedException | RuntimeException e) {
            clips.remove(key, result);
            result.completeExceptionally(e);
            throw e;
        }
    }
}
