package dev.headend;

import dev.headend.cluster.ClusterSessions;
import dev.headend.session.SessionLedger;
import java.util.List;

/**
 * The session registry's ledger in a cluster: the cluster-wide tallies of {@link
 * ClusterSessions}. When Redis does not answer, new sessions are admitted against the node's own
 * limit only (as {@link SessionLedger} requires of a ledger in trouble).
 */
final class ClusterSessionLedger implements SessionLedger {
    private final ClusterSessions tallies;

    ClusterSessionLedger(ClusterSessions tallies) {
        this.tallies = tallies;
    }

    @Override
    public boolean reserve(String channelId, String sessionId, int limit) {
        return tallies.reserve(channelId, sessionId, limit) != ClusterSessions.Admission.FULL;
    }

    @Override
    public boolean full(String channelId, int limit) {
        return tallies.counts(List.of(channelId)).map(c -> c.getOrDefault(channelId, 0) >= limit).orElse(false);
    }

    @Override
    public void release(String channelId, String sessionId) {
        tallies.release(channelId, sessionId);
    }
}
