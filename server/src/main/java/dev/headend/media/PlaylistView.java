package dev.headend.media;

import java.util.List;

/** An immutable picture of the live playlist window. */
public record PlaylistView(
        int targetDuration, List<Segment> window, boolean ended) {}
