package dev.headend.resilience;

import java.util.ArrayList;
import java.util.List;

/** A live media playlist as these tests read it: the window's segments with their discontinuity flags. */
record Playlist(int targetDuration, List<Segment> segments) {

    /** One listed segment: its media sequence number, EXTINF duration and whether a discontinuity precedes it. */
    record Segment(long sequence, double duration, boolean discontinuity) {}

    static Playlist parse(String text) {
        int target = -1;
        List<Segment> segments = new ArrayList<>();
        boolean discontinuity = false;
        double duration = -1;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(value(line));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(value(line).split(",", 2)[0]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(new Segment(Long.parseLong(line.substring(0, line.indexOf(".ts"))), duration,
                        discontinuity));
                discontinuity = false;
                duration = -1;
            }
        }
        return new Playlist(target, List.copyOf(segments));
    }

    private static String value(String tagLine) {
        return tagLine.substring(tagLine.indexOf(':') + 1);
    }
}
