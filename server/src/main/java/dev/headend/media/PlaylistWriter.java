package dev.headend.media;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PlaylistView} as an RFC 8216 live media playlist. {@code
 * EXT-X-INDEPENDENT-SEGMENTS} is written only while every listed segment starts with a keyframe.
 */
public final class PlaylistWriter {
    private PlaylistWriter() {}

    /**
     * @param uriSuffix appended to each segment URI (for example {@code "?s=TOKEN"}); may be empty
     */
    public static String render(PlaylistView view, String uriSuffix) {
        return template(view).render(uriSuffix);
    }

    /**
     * The playlist with a gap after each segment URI for a per-session suffix: everything that
     * costs (dates, durations) is formatted once per playlist change, not once per request.
     */
    static PlaylistTemplate template(PlaylistView view) {
        List<String> pieces = new ArrayList<>(view.window().size() + 1);
        StringBuilder b = new StringBuilder(256 + view.window().size() * 128);
        b.append("#EXTM3U\n#EXT-X-VERSION:3\n");
        b.append("#EXT-X-TARGETDURATION:").append(view.targetDuration()).append('\n');
        long mediaSequence = view.mediaSequence().orElse(0L);
        long discontinuitySequence = 0;
        if (!view.window().isEmpty()) {
            Segment first = view.window().getFirst();
            discontinuitySequence = first.discontinuitySequence() - (first.discontinuity() ? 1 : 0);
        }
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        if (view.window().stream().allMatch(Segment::independent)) {
            b.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        }
        for (Segment s : view.window()) {
            if (s.discontinuity()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            b.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(DateTimeFormatter.ISO_INSTANT.format(s.programDateTime().truncatedTo(
                            java.time.temporal.ChronoUnit.MILLIS)))
                    .append('\n');
            b.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.duration())).append(",\n");
            b.append(s.sequence()).append(".ts");
            pieces.add(b.toString());
            b.setLength(0);
            b.append('\n');
        }
        if (view.ended()) {
            b.append("#EXT-X-ENDLIST\n");
        }
        pieces.add(b.toString());
        return new PlaylistTemplate(view, pieces);
    }
}
