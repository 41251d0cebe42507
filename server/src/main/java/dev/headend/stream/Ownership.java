package dev.headend.stream;

import java.time.Duration;

/**
 * Whether this server may run a channel's pipeline, asked by the {@link StreamManager} before it
 * starts a stream (never while one runs: a running stream's right is kept, or its stream stopped,
 * by whoever granted it). A single server always may; a cluster node may only while it holds the
 * channel's lease.
 */
@FunctionalInterface
public interface Ownership {
    /** A single server: every channel is its own. */
    Ownership SINGLE_NODE = channelId -> new Claim.Granted();

    /** Claims the channel for this server when it is free; says whether this server may run it. */
    Claim claim(String channelId);

    /** The answer to a claim. */
    sealed interface Claim {
        /** This server may run the channel. */
        record Granted() implements Claim {}

        /** Another node runs the channel. */
        record Elsewhere(String node, String url) implements Claim {}

        /** No ownership can be granted now (the cluster's store is unreachable). */
        record Unavailable(String reason, Duration retryAfter) implements Claim {}
    }
}
