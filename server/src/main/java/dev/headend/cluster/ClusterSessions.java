package dev.headend.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's viewer sessions in the cluster-wide tallies, so that the per-channel session limit
 * holds for the cluster and viewer counts are the cluster's.
 *
 * <p>Why a tally in Redis rather than asking the other nodes: the limit needs a check and a
 * count that no two nodes can both pass, which one script on one key gives (asking every node,
 * then admitting, would admit two viewers at once on two nodes); the tally is also what the
 * counts shown read, in one round trip. Each session is a member {@code {node}/{session id}} of
 * {@code headend:sessions:{channel}} scored by when it stops counting: {@link #reserve} checks
 * the limit and adds it in one script, {@link #renew} (every {@link ClusterNode#REPORT_INTERVAL})
 * pushes back the expiry of every session of this node, {@link #release} removes one. Invariant:
 * a session counts at most {@link #TTL} (the registry's expiry) after its node last renewed it,
 * so a node that is gone (killed, cut off) stops counting within that bound, as it leaves the
 * registry; a session that ended while Redis did not answer counts at most as long.
 *
 * <p>Redis unreachable: a new session is admitted against this node's own limit only (the
 * cluster's count cannot be read; running channels keep serving their viewers until their
 * leases run out, see {@link ClusterNode}), and counted at the first renewal once Redis answers.
 */
public final class ClusterSessions {
    /** How long a session counts without being renewed: the time a gone node stays in the registry. */
    public static final Duration TTL = ClusterNode.REPORT_INTERVAL.multipliedBy(ClusterNode.MISSED_REPORTS);

    private static final Logger log = LoggerFactory.getLogger(ClusterSessions.class);

    /** The outcome of a reservation. */
    public enum Admission {
        /** Counted: the channel had fewer sessions than its limit. */
        ADMITTED,
        /** Not counted: the channel has its limit of sessions in the cluster. */
        FULL,
        /** Redis did not answer: nothing is known of the cluster's count. */
        UNKNOWN
    }

    private final ClusterStore store;
    private final String node;
    /** Whether the last call failed (the next failure is not logged again). */
    private final AtomicBoolean failing = new AtomicBoolean();

    ClusterSessions(ClusterStore store, String node) {
        this.store = store;
        this.node = node;
    }

    /** The member naming a session of this node in its channel's tally. */
    String member(String sessionId) {
        return node + "/" + sessionId;
    }

    /** Counts a new session of {@code channelId} unless the cluster has {@code limit} of them (0: no limit). */
    public Admission reserve(String channelId, String sessionId, int limit) {
        try {
            boolean admitted = store.reserveSession(channelId, member(sessionId), limit, TTL);
            answered();
            return admitted ? Admission.ADMITTED : Admission.FULL;
        } catch (ClusterStoreException e) {
            failed(e);
            return Admission.UNKNOWN;
        }
    }

    /** The sessions of each channel counted in the cluster now (absent: none); empty when Redis does not answer. */
    public Optional<Map<String, Integer>> counts(List<String> channelIds) {
        try {
            Map<String, Integer> counts = store.sessionCounts(channelIds);
            answered();
            return Optional.of(counts);
        } catch (ClusterStoreException e) {
            failed(e);
            return Optional.empty();
        }
    }

    /** Stops counting a session, in the background (on failure it stops counting when its {@link #TTL} runs out). */
    public void release(String channelId, String sessionId) {
        Thread.ofVirtual().name("session-release").start(() -> {
            try {
                store.releaseSession(channelId, member(sessionId));
            } catch (ClusterStoreException e) {
                failed(e);
            }
        });
    }

    /** Renews every session of this node (channel id -> session ids), each counting {@link #TTL} more. */
    public void renew(Map<String, List<String>> sessionIds) {
        try {
            for (Map.Entry<String, List<String>> e : sessionIds.entrySet()) {
                List<String> members = new ArrayList<>(e.getValue().size());
                e.getValue().forEach(id -> members.add(member(id)));
                store.renewSessions(e.getKey(), members, TTL);
            }
            answered();
        } catch (ClusterStoreException e) {
            failed(e);
        }
    }

    private void answered() {
        if (failing.compareAndSet(true, false)) {
            log.info("cluster: session counts of node {} reach Redis again", node);
        }
    }

    private void failed(ClusterStoreException e) {
        if (failing.compareAndSet(false, true)) {
            log.warn("cluster: {}; new sessions on node {} are checked against its own limit only until it answers",
                    e.getMessage(), node);
        }
    }
}
