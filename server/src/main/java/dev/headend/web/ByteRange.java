package dev.headend.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a body of known size, from a {@code Range} header (RFC 9110 §14):
 * {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffixLength}. Several ranges
 * in one header are not served as multipart: the whole body is (which the RFC allows).
 *
 * @param first the first byte served
 * @param last the last byte served (inclusive)
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** The outcome of reading a {@code Range} header against a body. */
    public sealed interface Request permits Whole, Part, Unsatisfiable {}

    /** No usable range: serve the whole body (200). */
    public record Whole() implements Request {}

    /** Serve this part (206 with {@code Content-Range}). */
    public record Part(ByteRange range) implements Request {}

    /** The range lies outside the body (416 with {@code Content-Range: bytes *}{@code /size}). */
    public record Unsatisfiable() implements Request {}

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of this part of a body of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Reads a {@code Range} header (absent: the whole body) against a body of {@code size} bytes. */
    public static Request of(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.get().trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        if (first >= size) {
            return new Unsatisfiable();
        }
        long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        if (last < first) {
            return new Whole();
        }
        return new Part(new ByteRange(first, Math.min(last, size - 1)));
    }
}
