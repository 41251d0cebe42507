package dev.headend.media;

import java.util.List;

/**
 * A rendered playlist with a slot after each segment URI for a per-session suffix: {@code
 * pieces} holds one more element than the playlist has segments, and the suffix goes between
 * consecutive pieces. Immutable.
 */
public record PlaylistTemplate(PlaylistView view, List<String> pieces) {
    public PlaylistTemplate {
        pieces = List.copyOf(pieces);
    }

    public String render(String uriSuffix) {
        int length = (pieces.size() - 1) * uriSuffix.length();
        for (String p : pieces) {
            length += p.length();
        }
        StringBuilder b = new StringBuilder(length);
        b.append(pieces.getFirst());
        for (int i = 1; i < pieces.size(); i++) {
            b.append(uriSuffix).append(pieces.get(i));
        }
        return b.toString();
    }
}
