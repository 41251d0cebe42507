package dev.headend.channel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How fast a continuous-TS viewer is sent the stream (server-wide, or per channel). */
public enum ThrottleMode {
    /** At the stream's rate. */
    REALTIME,
    /** Up to twice the stream's rate until the viewer holds a short buffer, then at its rate. */
    BURST,
    /**
     * Like burst, and again whenever the viewer's buffer runs low, at no more than the viewer has
     * shown it can take (never below the stream's rate).
     */
    ADAPTIVE,
    /** As fast as the viewer reads. */
    DISABLED;

    /** The name as written in settings and channel definitions. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode written as {@code text} (any case), if it is one. */
    public static Optional<ThrottleMode> parse(String text) {
        return Arrays.stream(values()).filter(m -> m.label().equals(text.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** The modes as a user writes them: {@code realtime, burst, adaptive, disabled}. */
    public static String choices() {
        return Arrays.stream(values()).map(ThrottleMode::label).collect(Collectors.joining(", "));
    }
}
