package dev.headend.web.api;

import dev.headend.cluster.ClusterNode;
import dev.headend.cluster.ClusterStore;
import dev.headend.cluster.NodeReport;
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
 * channel lease with its holder, fencing token and time left. On a single server: {@code
 * {"enabled": false}}.
 */
public final class ClusterApi implements RouteGroup {
    private final Optional<ClusterNode> node;

    public ClusterApi(Optional<ClusterNode> node) {
        this.node = node;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/cluster", this::cluster));
    }

    private void cluster(Exchange ex) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", node.isPresent());
        node.ifPresent(n -> {
            ClusterNode.Status s = n.status();
            body.put("node", Map.of("id", s.node(), "url", s.url()));
            body.put("redis", s.redisReachable() ? "connected" : "unreachable");
            body.put("nodes", s.nodes().stream().map(ClusterApi::node).toList());
            body.put("leases", s.leases().stream().map(ClusterApi::lease).toList());
        });
        ex.json(200, body);
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
