package dev.headend.metrics;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SpawnRefusedException;
import dev.headend.relay.Relay;
import dev.headend.relay.RelayCounters;
import dev.headend.resilience.RestartDecision;
import dev.headend.resilience.RestartPolicy;
import dev.headend.session.SessionRegistry;
import dev.headend.session.SessionState;
import dev.headend.session.ViewerSession;
import dev.headend.stream.LiveStream;
import dev.headend.stream.StreamManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus metrics. Every meter reads state the server keeps anyway (streams, sessions, the
 * process pool, the restart policy) when scraped, so nothing is counted twice and no hot path
 * pays for metrics. Per-channel meters follow the channel list through configuration reloads.
 */
public final class HeadendMetrics {
    private static final String[] STATES = {"starting", "running", "restarting", "failed", "stopped"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StreamManager streams;
    /** The per-channel meters, by channel id; guarded by this object's lock. */
    private final Map<String, List<Meter>> channelMeters = new HashMap<>();

    public HeadendMetrics(StreamManager streams, SessionRegistry sessions, ProcessPool pool, RestartPolicy policy,
            Relay relay) {
        this.streams = streams;
        for (String state : STATES) {
            Gauge.builder("headend.streams", streams, s -> s.all().stream()
                            .filter(st -> st.state().name().equals(state)).count())
                    .tag("state", state).description("Streams by state").register(registry);
        }
        for (ViewerSession.Kind kind : ViewerSession.Kind.values()) {
            Gauge.builder("headend.sessions", sessions, s -> s.all().stream().filter(v -> v.kind() == kind).count())
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).description("Viewer sessions")
                    .register(registry);
        }
        for (SessionState state : SessionState.values()) {
            FunctionCounter.builder("headend.session.transitions", sessions, s -> s.entered(state))
                    .tag("state", state.label()).description("Viewer sessions that entered a state")
                    .register(registry);
        }
        FunctionCounter.builder("headend.ts.skips", sessions, SessionRegistry::skips)
                .description("Continuous-TS viewers moved forward to the live point after falling behind the buffer")
                .register(registry);
        syncChannels(streams.channels());
        Gauge.builder("headend.pipelines.running", pool, ProcessPool::running)
                .description("FFmpeg processes running or being spawned").register(registry);
        Gauge.builder("headend.pipelines.cap", pool, ProcessPool::effectiveCap)
                .description("Effective cap on FFmpeg processes").register(registry);
        FunctionCounter.builder("headend.pipeline.spawns", pool, ProcessPool::spawned)
                .description("FFmpeg processes spawned").register(registry);
        Gauge.builder("headend.tools.running", pool, ProcessPool::toolsRunning)
                .description("Tool runs (slate encodes, probes) in progress").register(registry);
        FunctionCounter.builder("headend.tool.runs", pool, ProcessPool::toolRuns)
                .description("Tool runs (slate encodes, probes) started").register(registry);
        for (String code : SpawnRefusedException.CODES) {
            FunctionCounter.builder("headend.pipeline.spawns.refused", pool, p -> p.refused(code))
                    .tag("code", code).description("Spawns refused by a pool guard").register(registry);
        }
        for (RestartDecision.Verdict verdict : RestartDecision.Verdict.values()) {
            FunctionCounter.builder("headend.restart.decisions", policy,
                            p -> p.counts().getOrDefault(verdict, 0L))
                    .tag("verdict", verdict.name().toLowerCase(Locale.ROOT))
                    .description("Restart decisions by verdict").register(registry);
        }
        relay(relay);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void relay(Relay live) {
        Gauge.builder("headend.relay.streams", live, Relay::streamCount)
                .description("Relay streams with a publisher").register(registry);
        Gauge.builder("headend.relay.viewers", live, Relay::viewerCount)
                .description("Relay viewers connected").register(registry);
        RelayCounters relay = live.counters();
        FunctionCounter.builder("headend.relay.frames.in", relay, RelayCounters::framesIn)
                .description("Relay frames accepted from publishers").register(registry);
        FunctionCounter.builder("headend.relay.frames.out", relay, RelayCounters::framesOut)
                .description("Relay frames sent to viewers").register(registry);
        FunctionCounter.builder("headend.relay.frames.dropped", relay, RelayCounters::framesDropped)
                .description("Relay frames replaced in a slow viewer's slot before being sent").register(registry);
        FunctionCounter.builder("headend.relay.frames.invalid", relay, RelayCounters::invalidFrames)
                .description("Relay frames skipped as invalid (empty, no image signature, too large)")
                .register(registry);
        FunctionCounter.builder("headend.relay.publishers.refused", relay, RelayCounters::publishersRefused)
                .description("Second publishers refused for a stream that had one").register(registry);
        FunctionCounter.builder("headend.relay.viewers.removed", relay, RelayCounters::viewersRemoved)
                .description("Relay viewers removed (send timeout, failed send, no answer to pings)")
                .register(registry);
        FunctionCounter.builder("headend.relay.stalls", relay, RelayCounters::stalls)
                .description("Relay publishers reported stalled").register(registry);
    }

    /** Registers the meters of channels new in {@code catalog} and removes those of channels gone from it. */
    public synchronized void syncChannels(ChannelCatalog catalog) {
        channelMeters.entrySet().removeIf(e -> {
            boolean gone = catalog.find(e.getKey()).isEmpty();
            if (gone) {
                e.getValue().forEach(registry::remove);
            }
            return gone;
        });
        for (Channel c : catalog.all()) {
            channelMeters.computeIfAbsent(c.id(), id -> List.of(
                    Gauge.builder("headend.channel.viewers", streams, s -> viewers(s.find(id)))
                            .tag("channel", id).description("Viewers of a channel").register(registry),
                    Gauge.builder("headend.channel.restarts", streams,
                                    s -> s.find(id).map(st -> st.snapshot().restarts()).orElse(0))
                            .tag("channel", id).description("Pipeline restarts of the channel's current stream")
                            .register(registry)));
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    private static int viewers(Optional<LiveStream> s) {
        return s.map(LiveStream::viewers).orElse(0);
    }
}
