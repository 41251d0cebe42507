package dev.headend.media;

import java.util.List;
import java.util.Optional;

/** An immutable picture of the live playlist window. */
public record PlaylistView(int targetDuration, List<Segment> window, boolean ended) {

    /** The playlist's {@code EXT-X-MEDIA-SEQUENCE}: the first listed segment's number; empty while none is listed. */
    public Optional<Long> mediaSequence() {
        return window.isEmpty() ? Optional.empty() : Optional.of(window.getFirst().sequence());
    }

    /** True when {@code other} lists the same segments, in the same ended state (segments never change once listed). */
    public boolean sameListing(PlaylistView other) {
        return ended == other.ended && window.size() == other.window.size()
                && (window.isEmpty() || window.getFirst() == other.window.getFirst()
                        && window.getLast() == other.window.getLast());
    }
}
