package dev.headend.cluster;

import java.time.Duration;

/** Where a viewer's request for a channel is served. */
public sealed interface Route {
    /** By this node, from its own stream. */
    record Local() implements Route {}

    /** By the node that owns (or should start) the channel, at {@code url}. */
    record Remote(String node, String url) implements Route {}

    /** Nowhere now: the cluster cannot say or grant ownership (its Redis is unreachable). */
    record Unavailable(String reason, Duration retryAfter) implements Route {}
}
