package dev.headend.web.api;

import dev.headend.cluster.ClusterNode;
import dev.headend.cluster.ClusterStore;
import dev.headend.cluster.Handover;
import dev.headend.cluster.NodeReport;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/cluster}: this node, whether Redis answers, the nodes in the registry and every
 * channel lease with its holder, fencing token and time left; this node's state ({@code serving}
 * or {@code draining}) and, while it drains, its hand-overs. On a single server: {@code
 * {"enabled": false}}. {@code POST /api/cluster/drain}: this node stops taking channels and hands
 * those it owns to the other nodes; 202 with the hand-overs (follow them with {@code GET
 * /api/cluster}: {@code drain.owned} reaches 0); 409 when there is no other serving node (or no
 * cluster), 503 when Redis cannot be reached: nothing changed.
 */
public final class ClusterApi implements RouteGroup {
    private final Optional<ClusterNode> node;

    public ClusterApi(Optional<ClusterNode> node) {
        this.node = node;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/cluster", this::cluster), Route.post("/api/cluster/drain", this::drain));
    }

    private void cluster(Exchange ex) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", node.isPresent());
        node.ifPresent(n -> {
            ClusterNode.Status s = n.status();
            body.put("node", Map.of("id", s.node(), "url", s.url(), "state", n.draining() ? NodeReport.DRAINING
                    : NodeReport.SERVING));
            if (n.draining()) {
                body.put("drain", drain(n, n.handovers()));
            }
            body.put("redis", s.redisReachable() ? "connected" : "unreachable");
            body.put("nodes", s.nodes().stream().map(ClusterApi::node).toList());
            body.put("leases", s.leases().stream().map(ClusterApi::lease).toList());
        });
        ex.json(200, body);
    }

    private void drain(Exchange ex) {
        ClusterNode n = node.orElseThrow(() -> new ApiException(409, "not_clustered", "this server is not part of"
                + " a cluster (no redis_url): there is no other node to hand its channels to; nothing changed"));
        switch (n.drain()) {
            case ClusterNode.DrainAnswer.Draining d -> ex.json(202, drain(n, d.handovers()));
            case ClusterNode.DrainAnswer.NoOtherNode none -> throw new ApiException(409, "no_other_node",
                    none.reason() + "; nothing changed");
            case ClusterNode.DrainAnswer.Unavailable u -> throw new ApiException(503, "cluster_unavailable",
                    u.reason(), 2);
        }
    }

    /** A drain's progress: the node's state, the leases it still holds and each hand-over. */
    private static Map<String, Object> drain(ClusterNode n, List<Handover> handovers) {
        Map<String, Object> m = new LinkedHashMap<>();
        int owned = n.owned();
        m.put("state", NodeReport.DRAINING);
        m.put("owned", owned);
        m.put("drained", owned == 0 && handovers.stream().allMatch(Handover::over));
        m.put("handovers", handovers.stream().map(ClusterApi::handover).toList());
        return m;
    }

    private static Map<String, Object> handover(Handover h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel_id", h.channelId());
        m.put("to", h.taker());
        m.put("state", h.label());
        if (h.state() instanceof Handover.State.Failed f) {
            m.put("reason", f.reason());
        }
        return m;
    }

    private static Map<String, Object> node(NodeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("url", r.url());
        m.put("state", r.state());
        m.put("pipelines", r.pipelines());
        m.put("viewers", r.viewers());
        m.put("cpu_load", r.cpuLoad() < 0 ? null : Math.round(r.cpuLoad() * 1000) / 1000.0);
        m.put("last_seen", Instant.ofEpochMilli(r.lastSeenMillis()).toString());
        return m;
    }

    private static Map<String, Object> lease(ClusterStore.LeaseEntry l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel_id", l.channelId());
        m.put("node", l.holder().node());
        m.put("fencing_token", l.holder().token());
        m.put("ttl_left_ms", l.ttlLeft().toMillis());
        return m;
    }
}
