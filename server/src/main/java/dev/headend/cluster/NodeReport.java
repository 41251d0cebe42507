package dev.headend.cluster;

/**
 * What a node publishes about itself in the registry, every {@link ClusterNode#REPORT_INTERVAL}.
 *
 * @param state {@code serving}, or {@code draining} (it hands its channels to other nodes; placement
 *     never picks it)
 * @param cpuLoad the machine's CPU use, 0 to 1 (negative when unknown)
 * @param lastSeenMillis when it published, by its wall clock (for display)
 */
public record NodeReport(String id, String url, String state, int pipelines, int viewers, double cpuLoad,
        long lastSeenMillis) {
    public static final String SERVING = "serving";
    public static final String DRAINING = "draining";

    public boolean serving() {
        return SERVING.equals(state);
    }
}
