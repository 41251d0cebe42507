package dev.headend.channel;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How far ahead the XMLTV guide reaches and the time zone of channel guides without their own,
 * bound from the server settings.
 */
public record GuideSettings(Duration ahead, ZoneId timeZone) {
    public GuideSettings {
        Objects.requireNonNull(timeZone, "timeZone");
        if (ahead.isNegative() || ahead.isZero()) {
            throw new IllegalArgumentException("the guide must reach ahead, got " + ahead);
        }
    }
}
