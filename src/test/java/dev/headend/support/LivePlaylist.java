package dev.headend.support;

import java.util.ArrayList;
import java.util.List;

/**
 * An HLS media playlist as a player reads it: the tags Headend writes and, per segment, its
 * URI, EXTINF duration and program date-time (null when the tag is missing).
 */
public record LivePlaylist(String text, Integer targetDuration, Long mediaSequence, boolean independentSegments,
        boolean ended, List<Entry> segments) {

    /** One listed segment. */
    public record Entry(String uri, Double duration, String programDateTime) {
        /** The media sequence number in the URI ({@code 42.ts?s=TOKEN} is 42). */
        public long sequence() {
            return Long.parseLong(uri.substring(0, uri.indexOf(".ts")));
        }
    }

    public static LivePlaylist parse(String text) {
        Integer target = null;
        Long sequence = null;
        boolean independent = false;
        boolean ended = false;
        List<Entry> segments = new ArrayList<>();
        Double duration = null;
        String dateTime = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(value(line));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(value(line));
            } else if (line.equals("#EXT-X-INDEPENDENT-SEGMENTS")) {
                independent = true;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                dateTime = value(line);
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(value(line).split(",", 2)[0]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(new Entry(line, duration, dateTime));
                duration = null;
                dateTime = null;
            }
        }
        return new LivePlaylist(text, target, sequence, independent, ended, List.copyOf(segments));
    }

    private static String value(String tagLine) {
        return tagLine.substring(tagLine.indexOf(':') + 1);
    }
}
