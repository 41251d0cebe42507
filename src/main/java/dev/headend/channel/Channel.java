package dev.headend.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** A channel definition, validated at load time. */
public record Channel(
        String id,
        String name,
        Optional<Integer> number,
        Optional<String> group,
        Optional<String> logo,
        Source source,
        OutputProfile profile,
        boolean onDemand,
        Duration linger) {

    /** Channel ids are URL- and file-name-safe. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
