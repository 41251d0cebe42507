package dev.headend.web.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The viewer counts the API shows for channels: this server's own sessions ({@link #LOCAL}), or
 * in a cluster the sessions of every node, read from the cluster's tallies.
 */
@FunctionalInterface
public interface ViewerCounts {
    /** A single server: each stream's own count. */
    ViewerCounts LOCAL = channelIds -> Optional.empty();

    /**
     * The viewers of each channel (a channel absent has none); empty when only this server's own
     * counts are known (a single server, or the cluster's store does not answer).
     */
    Optional<Map<String, Integer>> of(List<String> channelIds);
}
