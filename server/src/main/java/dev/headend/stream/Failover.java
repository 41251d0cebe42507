package dev.headend.stream;

import java.time.Duration;

/**
 * Source failover knobs: a source that failed {@code failures} times within {@code window} is
 * left for the next one; the first source is tried again once the current one has been stable
 * for {@code failback}.
 */
public record Failover(int failures, Duration window, Duration failback) {}
