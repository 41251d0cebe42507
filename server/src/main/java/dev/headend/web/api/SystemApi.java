package dev.headend.web.api;

import dev.headend.cluster.ClusterNode;
import dev.headend.metrics.HeadendMetrics;
import dev.headend.pipeline.PoolStats;
import dev.headend.pipeline.ProcessPool;
import dev.headend.resilience.RestartPolicy;
import dev.headend.session.SessionRegistry;
import dev.headend.stream.StreamManager;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/system} (process pool and restart policy figures), {@code /metrics} (Prometheus)
 * and {@code /healthz} (with this node's cluster state in a cluster).
 */
public final class SystemApi implements RouteGroup {
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final ProcessPool pool;
    private final RestartPolicy policy;
    private final HeadendMetrics metrics;
    private final Optional<ClusterNode> cluster;

    public SystemApi(StreamManager streams, SessionRegistry sessions, ProcessPool pool, RestartPolicy policy,
            HeadendMetrics metrics) {
        this(streams, sessions, pool, policy, metrics, Optional.empty());
    }

    /** @param cluster this node in its cluster, whose state {@code /healthz} tells */
    public SystemApi(StreamManager streams, SessionRegistry sessions, ProcessPool pool, RestartPolicy policy,
            HeadendMetrics metrics, Optional<ClusterNode> cluster) {
        this.cluster = cluster;
        this.streams = streams;
        this.sessions = sessions;
        this.pool = pool;
        this.policy = policy;
        this.metrics = metrics;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/system", this::system),
                Route.get("/metrics", ex -> ex.text(200, "text/plain; version=0.0.4; charset=utf-8", "no-store",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8))),
                Route.get("/healthz", this::health));
    }

    /**
     * Up: 200. A cluster node whose Redis does not answer is {@code degraded}: it still serves the
     * channels it runs (until their leases would run out) but starts none.
     */
    private void health(Exchange ex) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", cluster.map(n -> n.reachable() ? "ok" : "degraded").orElse("ok"));
        cluster.ifPresent(n -> body.put("cluster", Map.of("node", n.id(),
                "redis", n.reachable() ? "connected" : "unreachable")));
        ex.json(200, body);
    }

    private void system(Exchange ex) {
        PoolStats p = pool.stats();
        Map<String, Object> poolView = new LinkedHashMap<>();
        poolView.put("running", p.running());
        poolView.put("tools_running", p.toolsRunning());
        poolView.put("effective_cap", p.effectiveCap());
        poolView.put("spawned", p.spawned());
        poolView.put("tool_runs", p.toolRuns());
        poolView.put("refused", p.refused());
        poolView.put("last_audit", p.lastAudit().map(a -> Map.of("orphans_killed", a.orphansKilled(),
                "vanished_removed", a.vanishedRemoved(), "at", a.at().toString())).orElse(null));
        Map<String, Long> decisions = new LinkedHashMap<>();
        policy.counts().forEach((verdict, n) -> decisions.put(verdict.name().toLowerCase(Locale.ROOT), n));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", streams.all().size());
        body.put("sessions", sessions.size());
        body.put("pool", poolView);
        body.put("restart_decisions", decisions);
        ex.json(200, body);
    }
}
