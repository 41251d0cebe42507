package dev.headend.api;

import dev.headend.metrics.HeadendMetrics;
import dev.headend.pipeline.PoolStats;
import dev.headend.pipeline.ProcessPool;
import dev.headend.resilience.RestartPolicy;
import dev.headend.session.SessionRegistry;
import dev.headend.stream.StreamManager;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /api/system} (process pool and restart policy figures) and {@code /metrics} (Prometheus). */
public final class SystemApi {
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final ProcessPool pool;
    private final RestartPolicy policy;
    private final HeadendMetrics metrics;

    public SystemApi(StreamManager streams, SessionRegistry sessions, ProcessPool pool, RestartPolicy policy,
            HeadendMetrics metrics) {
        this.streams = streams;
        this.sessions = sessions;
        this.pool = pool;
        this.policy = policy;
        this.metrics = metrics;
    }

    public void system(Response response, Callback callback) {
        PoolStats p = pool.stats();
        Map<String, Object> poolView = new LinkedHashMap<>();
        poolView.put("running", p.running());
        poolView.put("effective_cap", p.effectiveCap());
        poolView.put("spawned", p.spawned());
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
        Http.json(response, callback, 200, body);
    }

    public void metrics(Response response, Callback callback) {
        Http.text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", "no-store",
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
