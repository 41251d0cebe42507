package dev.headend.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The segments of a live media playlist, as far as the benchmark needs them. */
record Playlist(List<Entry> entries) {
    /** One segment: media sequence number, URI as written, discontinuity tag, start time, duration. */
    record Entry(long sequence, String uri, boolean discontinuity, Instant programDateTime, double duration) {}

    static Playlist parse(String text) {
        List<Entry> entries = new ArrayList<>();
        long sequence = 0;
        boolean discontinuity = false;
        Instant time = null;
        double duration = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                time = Instant.parse(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                entries.add(new Entry(sequence++, line.trim(), discontinuity, time, duration));
                discontinuity = false;
            }
        }
        return new Playlist(List.copyOf(entries));
    }

    Entry newest() {
        if (entries.isEmpty()) {
            throw new IllegalStateException("empty playlist");
        }
        return entries.getLast();
    }
}
