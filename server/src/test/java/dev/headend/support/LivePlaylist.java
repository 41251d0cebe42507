package dev.headend.support;

import java.util.ArrayList;
import java.util.List;

/**
 * An HLS media playlist as a player reads it: the tags Headend writes and, per segment, its
 * URI, EXTINF duration, program date-time (null when the tag is missing) and whether an
 * EXT-X-DISCONTINUITY tag precedes it.
 */
public record LivePlaylist(String text, Integer targetDuration, Long mediaSequence, Long discontinuitySequence,
        boolean independentSegments, boolean ended, List<Entry> segments) {

    /** One listed segment. */
    public record Entry(String uri, Double duration, String programDateTime, boolean discontinuity) {
        /** The media sequence number in the URI ({@code 42.ts?s=TOKEN} is 42). */
        public long sequence() {
            return Long.parseLong(uri.substring(0, uri.indexOf(".ts")));
        }
    }

    public static LivePlaylist parse(String text) {
        Integer target = null;
        Long sequence = null;
        Long discontinuitySequence = null;
        boolean independent = false;
        boolean ended = false;
        List<Entry> segments = new ArrayList<>();
        Double duration = null;
        String dateTime = null;
        boolean discontinuity = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(value(line));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(value(line));
            } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                discontinuitySequence = Long.parseLong(value(line));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.equals("#EXT-X-INDEPENDENT-SEGMENTS")) {
                independent = true;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                dateTime = value(line);
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(value(line).split(",", 2)[0]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(new Entry(line, duration, dateTime, discontinuity));
                duration = null;
                dateTime = null;
                discontinuity = false;
            }
        }
        return new LivePlaylist(text, target, sequence, discontinuitySequence, independent, ended,
                List.copyOf(segments));
    }

    private static String value(String tagLine) {
        return tagLine.substring(tagLine.indexOf(':') + 1);
    }
}
