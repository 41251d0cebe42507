package dev.headend.pipeline;

import dev.headend.security.Secrets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads FFmpeg's stderr, which carries two interleaved things: {@code -progress} blocks
 * ({@code key=value} lines ending with {@code progress=...}) and log lines prefixed with their
 * level ({@code [error]}, {@code [warning]}). Keeps the last error line (or, failing that, the
 * last warning) as the failure reason, with secrets masked: FFmpeg names its input URL in its
 * errors, passwords included. Not thread-safe: one reader thread feeds it.
 */
final class StderrParser {
    private static final Pattern PROGRESS_KEY = Pattern.compile("[a-z0-9_]+");

    private final Consumer<ProgressStats> onProgress;
    private final Map<String, String> block = new HashMap<>();
    private volatile String lastError;
    private volatile String lastWarning;

    StderrParser(Consumer<ProgressStats> onProgress) {
        this.onProgress = onProgress;
    }

    void line(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        int eq = trimmed.indexOf('=');
        if (eq > 0 && PROGRESS_KEY.matcher(trimmed.substring(0, eq)).matches()) {
            String key = trimmed.substring(0, eq);
            String value = trimmed.substring(eq + 1).trim();
            if (key.equals("progress")) {
                onProgress.accept(stats());
                block.clear();
            } else {
                block.put(key, value);
            }
            return;
        }
        if (trimmed.contains("[error]") || trimmed.contains("[fatal]") || trimmed.contains("[panic]")) {
            lastError = clean(trimmed);
        } else if (trimmed.contains("[warning]")) {
            lastWarning = clean(trimmed);
        }
    }

    /** The most telling log line seen, or null. */
    String reason() {
        String e = lastError;
        return e != null ? e : lastWarning;
    }

    private static String clean(String line) {
        String s = line.replaceAll("\\[[a-z0-9_]+ @ 0x[0-9a-f]+\\] ", "")
                .replace("[error] ", "").replace("[fatal] ", "").replace("[panic] ", "").replace("[warning] ", "");
        String masked = Secrets.mask(s);
        return masked.length() > 300 ? masked.substring(0, 300) : masked;
    }

    private ProgressStats stats() {
        return new ProgressStats(
                longValue("frame"),
                doubleValue("fps"),
                doubleValue("speed"),
                doubleValue("bitrate"),
                longValue("drop_frames"),
                longValue("dup_frames"));
    }

    private long longValue(String key) {
        String v = block.get(key);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Parses values like {@code 24.80}, {@code 0.974x} or {@code 1279.7kbits/s}; N/A is 0. */
    private double doubleValue(String key) {
        String v = block.get(key);
        if (v == null) {
            return 0;
        }
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.')) {
            end++;
        }
        try {
            return end == 0 ? 0 : Double.parseDouble(v.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
