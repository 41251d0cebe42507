package dev.headend.media;

import java.util.List;
import java.util.Optional;

/** An immutable picture of the live playlist window. */
public record PlaylistView(int targetDuration, List<Segment> window, boolean ended) {

    /** The playlist's {@code EXT-X-MEDIA-SEQUENCE}: the first listed segment's number; empty while none is listed. */
    public Optional<Long> mediaSequence() {
        return window.isEmpty() ? Optional.empty() : Optional.of(window.getFirst().sequence());
    }
}
