package dev.headend.channel;

/**
 * How continuous-TS viewers are paced server-wide, bound from the server settings (a channel's
 * own {@link Channel#throttle()} overrides the mode).
 *
 * @param mode the server-wide mode (a channel's own {@code throttle:} overrides it)
 * @param targetBitrateBps the stream's rate in bits per second; 0: measured from its segments
 */
public record ThrottleSettings(ThrottleMode mode, long targetBitrateBps) {
    public ThrottleSettings {
        if (targetBitrateBps < 0) {
            throw new IllegalArgumentException("targetBitrateBps must be 0 (measured) or more: " + targetBitrateBps);
        }
    }

    /** The rate to pace at, in bytes per second, given the one measured from the stream. */
    public long bytesPerSecond(long measured) {
        return targetBitrateBps > 0 ? targetBitrateBps / 8 : measured;
    }
}
