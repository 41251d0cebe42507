package dev.headend.slate;

import dev.headend.channel.SlateLook;
import dev.headend.channel.SlateStatus;
import dev.headend.pipeline.ToolRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slate clips of a server, made on first request. Base clips (no status line) are kept for
 * the server's lifetime; status clips (see {@link SlateStatus}), whose line changes as often as
 * every minute, only up to a cap, least recently used dropped first.
 *
 * <p>Invariants: at most one FFmpeg run per (format, look, status line, segment duration) is in
 * flight, looks that differ only in their status settings (which the clip does not draw; only
 * the line does) counting as one, and concurrent requests for a key wait for the first
 * requester's run and all get the same clip; at most {@code concurrentRuns} FFmpeg runs are in
 * flight in all (further requests queue, first come first served), so a burst of outages cannot
 * start a burst of encoders; at most {@code statusClips} finished status clips are kept (a clip
 * dropped here lives on in the feeds playing it). A failed run is not kept: its waiters get the failure, and the next request
 * tries again. Thread-safe.
 */
public final class SlateLibrary {
    /** FFmpeg runs in flight at once, by default. */
    public static final int CONCURRENT_RUNS = 2;
    /** Finished status clips kept, by default: a few minutes of a dozen channels' outages. */
    public static final int STATUS_CLIPS = 32;

    /** {@code look} is without status settings ({@link SlateStatus#OFF}). */
    private record Key(MediaFormat format, SlateLook look, String status, int segmentSeconds) {
        boolean base() {
            return status.isEmpty();
        }
    }

    private final ToolRunner tools;
    private final String ffmpeg;
    private final Path workDir;
    private final Semaphore runs;
    private final int statusClips;
    /** In access order, least recently used first. Guarded by itself. */
    private final Map<Key, CompletableFuture<SlateClip>> clips = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicInteger made = new AtomicInteger();

    /**
     * @param tools runs FFmpeg (the process pool)
     * @param workDir an existing directory for the FFmpeg runs' text files
     */
    public SlateLibrary(ToolRunner tools, String ffmpeg, Path workDir) {
        this(tools, ffmpeg, workDir, CONCURRENT_RUNS, STATUS_CLIPS);
    }

    public SlateLibrary(ToolRunner tools, String ffmpeg, Path workDir, int concurrentRuns, int statusClips) {
        if (concurrentRuns < 1 || statusClips < 0) {
            throw new IllegalArgumentException("need at least one run and no negative cap, got " + concurrentRuns
                    + " and " + statusClips);
        }
        this.tools = tools;
        this.ffmpeg = ffmpeg;
        this.workDir = workDir;
        this.runs = new Semaphore(concurrentRuns, true);
        this.statusClips = statusClips;
    }

    /**
     * The clip for this key: made now by the first caller (once a run slot is free), waited for by
     * the others.
     *
     * @param status the status line drawn on the clip; empty for the base clip
     */
    public SlateClip clip(MediaFormat format, SlateLook look, String status, int segmentSeconds)
            throws IOException, InterruptedException {
        Key key = new Key(format, look.withStatus(SlateStatus.OFF), status, segmentSeconds);
        CompletableFuture<SlateClip> mine = new CompletableFuture<>();
        CompletableFuture<SlateClip> existing;
        synchronized (clips) {
            existing = clips.putIfAbsent(key, mine);
        }
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
        try {
            SlateClip clip;
            runs.acquire();
            try {
                made.incrementAndGet();
                clip = SlateMaker.make(tools, ffmpeg, workDir, key.format(), key.look(), key.status(),
                        key.segmentSeconds());
            } finally {
                runs.release();
            }
            result.complete(clip);
            evictStatusClips();
            return clip;
        } catch (IOException | InterruptedException | RuntimeException e) {
            synchronized (clips) {
                clips.remove(key, result);
            }
            result.completeExceptionally(e);
            throw e;
        }
    }

    /** Drops the least recently used finished status clips beyond the cap. */
    private void evictStatusClips() {
        synchronized (clips) {
            long kept = clips.entrySet().stream().filter(e -> !e.getKey().base() && e.getValue().isDone()).count();
            for (Iterator<Map.Entry<Key, CompletableFuture<SlateClip>>> it = clips.entrySet().iterator();
                    kept > statusClips && it.hasNext(); ) {
                Map.Entry<Key, CompletableFuture<SlateClip>> e = it.next();
                if (!e.getKey().base() && e.getValue().isDone()) {
                    it.remove();
                    kept--;
                }
            }
        }
    }
}
