package dev.headend.catalog;

import dev.headend.channel.Channel;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes a channel id out of free text (an M3U {@code tvg-id} or a channel's name): accents
 * dropped, lower-case, every run of characters outside {@code a-z 0-9 _ -} one {@code -}, no
 * leading {@code -} or {@code _}, no trailing {@code -}, at most 64 characters. {@code CNN.us}
 * becomes {@code cnn-us}, {@code Télé 5 HD} becomes {@code tele-5-hd}.
 *
 * <p>Invariant: every id returned satisfies {@link Channel#validId}.
 */
public final class ChannelIds {
    private static final int MAX_LENGTH = 64;

    private ChannelIds() {}

    /** The id made of {@code text}; empty when nothing of it is usable (only punctuation, say). */
    public static Optional<String> normalise(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
        StringBuilder id = new StringBuilder(Math.min(plain.length(), MAX_LENGTH));
        boolean dash = false;
        for (int i = 0; i < plain.length() && id.length() < MAX_LENGTH; i++) {
            char c = plain.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            boolean kept = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!kept || c == '-') {
                dash = !id.isEmpty();
                continue;
            }
            if (c == '_' && id.isEmpty()) {
                continue;
            }
            if (dash) {
                id.append('-');
                dash = false;
                if (id.length() == MAX_LENGTH) {
                    break;
                }
            }
            id.append(c);
        }
        while (!id.isEmpty() && id.charAt(id.length() - 1) == '-') {
            id.setLength(id.length() - 1);
        }
        return id.isEmpty() ? Optional.empty() : Optional.of(id.toString());
    }
}
