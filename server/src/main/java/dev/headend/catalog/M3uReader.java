package dev.headend.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an extended M3U playlist, line by line, into its entries and the lines it cannot use.
 * An entry is an {@code #EXTINF:<duration> key="value" ...,Title} line, then optional
 * directives ({@code #EXTGRP:} gives the group when {@code group-title} does not), then the
 * entry's URL line. Lines end with LF or CRLF; a leading byte order mark is skipped.
 *
 * <p>Invariants: every line of the input that is not used is either blank, a comment or
 * directive, or reported as a {@link Problem} with its 1-based line number; a line longer than
 * {@link #MAX_LINE_BYTES} or not valid UTF-8 is never decoded, only reported (with the entry it
 * belongs to, which is then dropped).
 */
public final class M3uReader {
    /** The longest line read, in bytes. */
    public static final int MAX_LINE_BYTES = 16 * 1024;
    private static final String EXTINF = "#EXTINF:";
    private static final String EXTGRP = "#EXTGRP:";

    /** What the playlist holds, in line order. */
    public sealed interface Item {
        int line();
    }

    /**
     * An entry: {@code line} is the {@code #EXTINF} line's number; attribute names are
     * lower-case; {@code title} is the text after the attributes' comma (possibly empty).
     */
    public record Entry(int line, Map<String, String> attributes, String title, String url) implements Item {
        public Optional<String> attribute(String name) {
            String v = attributes.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        }
    }

    /**
     * A line that cannot be used, and why: {@code code} is a stable name, {@code message} says
     * what to do; {@code entry} is the entry it drops, without its URL, when its {@code #EXTINF}
     * line was read.
     */
    public record Problem(int line, String code, String message, Optional<Entry> entry) implements Item {
        Problem(int line, String code, String message) {
            this(line, code, message, Optional.empty());
        }
    }

    private M3uReader() {}

    /** The entries and problems of {@code playlist}, in line order. */
    public static List<Item> read(byte[] playlist) {
        return new Reading().run(playlist);
    }

    /** The state of one reading: the {@code #EXTINF} waiting for its URL, if any. */
    private static final class Reading {
        private final List<Item> items = new ArrayList<>();
        /** Refuses malformed input; {@link CharsetDecoder#decode(ByteBuffer)} resets it at each line. */
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private int pendingLine;
        private Map<String, String> pendingAttributes;
        private String pendingTitle;
        private String pendingGroup;
        /** The {@code #EXTINF} line was refused: its URL line is skipped. */
        private boolean skipUrl;

        List<Item> run(byte[] bytes) {
            int start = startsWithBom(bytes) ? 3 : 0;
            int number = 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                number++;
                int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
                line(number, bytes, start, stop);
                start = end + 1;
            }
            if (pendingAttributes != null) {
                items.add(new Problem(pendingLine, "missing_url", "the #EXTINF entry of line " + pendingLine
                        + " has no URL line before the end of the playlist", pending()));
            }
            return List.copyOf(items);
        }

        private void line(int number, byte[] bytes, int from, int to) {
            boolean directive = to > from && bytes[from] == '#';
            if (to - from > MAX_LINE_BYTES) {
                refused(number, startsWith(bytes, from, to, EXTINF), directive, "line_too_long", "line " + number
                        + " is " + (to - from) + " bytes long; lines of at most " + MAX_LINE_BYTES + " bytes are read");
                return;
            }
            String text;
            try {
                text = decode(bytes, from, to);
            } catch (CharacterCodingException e) {
                refused(number, startsWith(bytes, from, to, EXTINF), directive, "invalid_utf8", "line " + number
                        + " is not valid UTF-8; save the playlist as UTF-8");
                return;
            }
            text = text.strip();
            if (text.isEmpty()) {
                return;
            }
            if (text.regionMatches(true, 0, EXTINF, 0, EXTINF.length())) {
                extinf(number, text);
            } else if (text.regionMatches(true, 0, EXTGRP, 0, EXTGRP.length())) {
                pendingGroup = text.substring(EXTGRP.length()).strip();
            } else if (!text.startsWith("#")) {
                url(number, text);
            }
        }

        /** The line's text; an ASCII line (most are) is copied without a decoder. */
        private String decode(byte[] bytes, int from, int to) throws CharacterCodingException {
            for (int i = from; i < to; i++) {
                if (bytes[i] < 0) {
                    return utf8.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
                }
            }
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }

        /** A line that cannot be read: it drops the entry it belongs to. */
        private void refused(int number, boolean extinf, boolean directive, String code, String message) {
            if (extinf) {
                missingUrl(number);
                items.add(new Problem(number, code, message + " (its #EXTINF entry is skipped)"));
                skipUrl = true;
            } else if (!directive && pendingAttributes != null) {
                items.add(new Problem(number, code, message + " (the URL of the #EXTINF entry of line "
                        + pendingLine + ", which is skipped)", pending()));
                clearPending();
            } else {
                items.add(new Problem(number, code, message));
                skipUrl = skipUrl && directive;
            }
        }

        private void extinf(int number, String text) {
            missingUrl(number);
            skipUrl = false;
            pendingLine = number;
            pendingAttributes = new LinkedHashMap<>();
            pendingTitle = attributes(text.substring(EXTINF.length()), pendingAttributes);
            pendingGroup = null;
        }

        private void url(int number, String text) {
            if (skipUrl) {
                skipUrl = false;
                return;
            }
            if (pendingAttributes == null) {
                items.add(new Problem(number, "missing_extinf", "line " + number + " is a URL without an #EXTINF"
                        + " line before it (the #EXTINF line gives the channel's name)"));
                return;
            }
            Map<String, String> attributes = pendingAttributes;
            if (pendingGroup != null && !pendingGroup.isEmpty()) {
                attributes.putIfAbsent("group-title", pendingGroup);
            }
            items.add(new Entry(pendingLine, Map.copyOf(attributes), pendingTitle, text));
            clearPending();
        }

        /** Reports the pending entry, if any, as having no URL ({@code number} is the line that ended it). */
        private void missingUrl(int number) {
            if (pendingAttributes != null) {
                items.add(new Problem(pendingLine, "missing_url", "the #EXTINF entry of line " + pendingLine
                        + " has no URL line (line " + number + " starts another entry)", pending()));
                clearPending();
            }
        }

        /** The pending entry, without a URL. */
        private Optional<Entry> pending() {
            return Optional.of(new Entry(pendingLine, Map.copyOf(pendingAttributes), pendingTitle, ""));
        }

        private void clearPending() {
            pendingAttributes = null;
            pendingTitle = null;
            pendingGroup = null;
        }
    }

    /**
     * Reads {@code -1 key="value" key=value ...,Title} into {@code into} (names lower-cased, the
     * last of a repeated name kept) and returns the title: the text after the first comma outside
     * quotes, or empty when there is none.
     */
    static String attributes(String rest, Map<String, String> into) {
        int i = 0;
        int n = rest.length();
        while (i < n && rest.charAt(i) != ',' && !Character.isWhitespace(rest.charAt(i))) {
            i++;
        }
        while (i < n) {
            char c = rest.charAt(i);
            if (c == ',') {
                return rest.substring(i + 1).strip();
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < n && rest.charAt(i) != '=' && rest.charAt(i) != ',' && !Character.isWhitespace(rest.charAt(i))) {
                i++;
            }
            String key = rest.substring(keyStart, i).toLowerCase(Locale.ROOT);
            if (i >= n || rest.charAt(i) != '=') {
                continue;
            }
            i++;
            String value;
            if (i < n && rest.charAt(i) == '"') {
                int close = rest.indexOf('"', i + 1);
                int end = close < 0 ? n : close;
                value = rest.substring(i + 1, end);
                i = close < 0 ? n : close + 1;
            } else {
                int valueStart = i;
                while (i < n && rest.charAt(i) != ',' && !Character.isWhitespace(rest.charAt(i))) {
                    i++;
                }
                value = rest.substring(valueStart, i);
            }
            into.put(key, value);
        }
        return "";
    }

    /** True when the first line (after a byte order mark and blank space) is the {@code #EXTM3U} header. */
    public static boolean extended(byte[] playlist) {
        int i = startsWithBom(playlist) ? 3 : 0;
        while (i < playlist.length && (playlist[i] == ' ' || playlist[i] == '\t' || playlist[i] == '\r'
                || playlist[i] == '\n')) {
            i++;
        }
        return startsWith(playlist, i, playlist.length, "#EXTM3U");
    }

    private static boolean startsWithBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
    }

    private static boolean startsWith(byte[] bytes, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (Character.toUpperCase((char) bytes[from + k]) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
