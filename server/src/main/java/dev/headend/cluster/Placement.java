package dev.headend.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a channel that no node owns should start: the serving node with the fewest running
 * pipelines; among equals, the lower CPU load (in steps of a tenth, so noise does not decide);
 * then the fewer viewers; then the smaller node id, so that nodes reading the same registry
 * agree.
 */
public final class Placement {
    private static final Comparator<NodeReport> LEAST_LOADED = Comparator.comparingInt(NodeReport::pipelines)
            .thenComparingLong(n -> n.cpuLoad() < 0 ? 0 : Math.round(n.cpuLoad() * 10))
            .thenComparingInt(NodeReport::viewers)
            .thenComparing(NodeReport::id);

    private Placement() {}

    /** The node that should start a new channel; empty when no node is serving. */
    public static Optional<NodeReport> choose(List<NodeReport> nodes) {
        return nodes.stream().filter(NodeReport::serving).min(LEAST_LOADED);
    }
}
