package dev.headend.mirror;

import dev.headend.media.PlaylistView;
import dev.headend.media.Segment;
import dev.headend.media.SegmentStore;
import dev.headend.stream.LiveStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One stream's mirror directory: {@code index.m3u8} and {@code {sequence}.ts}, as the playlist
 * lists them. Invariants: every file appears whole (written under a temporary name in the same
 * directory, then renamed over), a segment before the playlist that lists it; a segment file is
 * deleted once it left the playlist a whole window ago (HLS servers keep a removed segment for
 * as long as a playlist lasts, so a player that just read the playlist still finds it); the
 * directory belongs to one stream: a new stream of the channel starts from an empty directory,
 * since its segment numbers start again. Used by one thread at a time.
 */
final class ChannelMirror {
    private static final String PLAYLIST = "index.m3u8";

    private final LiveStream stream;
    private final Path dir;
    /** Segment files written and not yet deleted, by sequence number. */
    private final NavigableSet<Long> written = new TreeSet<>();
    private PlaylistView shown;

    private ChannelMirror(LiveStream stream, Path dir) {
        this.stream = stream;
        this.dir = dir;
    }

    /** A mirror of {@code stream} in {@code dir}, emptied first (a previous stream's files go). */
    static ChannelMirror open(LiveStream stream, Path dir) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        return new ChannelMirror(stream, dir);
    }

    LiveStream stream() {
        return stream;
    }

    /** Writes what changed since the last call: new segments, then the playlist, then deletes old segments. */
    void sync() throws IOException {
        SegmentStore store = stream.store();
        PlaylistView view = store.playlist();
        if (shown != null && shown.sameListing(view)) {
            return;
        }
        List<Segment> window = view.window();
        for (Segment s : window) {
            if (!written.contains(s.sequence())) {
                Segment.Fill fill = s.fill();
                writeAtomically(dir.resolve(s.sequence() + ".ts"), fill.data(), fill.size());
                written.add(s.sequence());
            }
        }
        byte[] playlist = store.playlistTemplate().render("").getBytes(StandardCharsets.UTF_8);
        writeAtomically(dir.resolve(PLAYLIST), playlist, playlist.length);
        shown = view;
        if (!window.isEmpty()) {
            long keepFrom = window.getFirst().sequence() - window.size();
            Iterator<Long> old = written.headSet(keepFrom).iterator();
            while (old.hasNext()) {
                Files.deleteIfExists(dir.resolve(old.next() + ".ts"));
                old.remove();
            }
        }
    }

    /** Deletes the directory and everything in it (the stream is gone). */
    void remove() throws IOException {
        delete(dir);
    }

    private void writeAtomically(Path target, byte[] bytes, int length) throws IOException {
        Path temporary = dir.resolve("." + target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write(bytes, 0, length);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a mirror directory (its files, then itself), if it exists. */
    static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
