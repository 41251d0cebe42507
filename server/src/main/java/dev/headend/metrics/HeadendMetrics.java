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
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics. Every meter reads state the server keeps anyway (streams, sessions, the
 * process pool, the restart policy) when scraped, so nothing is counted twice and no hot path
 * pays for metrics. The per-channel gauges are those of the latest catalog (through reloads and
 * API changes), made at each scrape: a catalog change registers nothing, however many channels.
 */
public final class HeadendMetrics {
    private static final String[] STATES = {"starting", "running", "restarting", "failed", "stopped"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StreamManager streams;
    /** The channels whose gauges a scrape exports. */
    private volatile ChannelCatalog channels;
    private boolean jvmBound;

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
        registry.getPrometheusRegistry().register(new ChannelGauges());
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
    }

    /**
     * Binds the JVM's meters (memory, threads, CPU, uptime) once, at the first scrape rather than
     * at start-up: they set up the JVM's management beans, a tenth of a second of a start that
     * should stay under one.
     */
    private synchronized void bindJvmOnce() {
        if (!jvmBound) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            jvmBound = true;
        }
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

    /** Exports the per-channel gauges of {@code catalog}'s channels (and no others) from the next scrape on. */
    public void syncChannels(ChannelCatalog catalog) {
        channels = catalog;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        bindJvmOnce();
        return registry.scrape();
    }

    private static int viewers(Optional<LiveStream> s) {
        return s.map(LiveStream::viewers).orElse(0);
    }

    /**
     * {@code headend_channel_viewers} and {@code headend_channel_restarts}, one series per channel
     * (label {@code channel}), read from the streams when scraped.
     */
    private final class ChannelGauges implements MultiCollector {
        private static final String VIEWERS = "headend_channel_viewers";
        private static final String RESTARTS = "headend_channel_restarts";

        @Override
        public MetricSnapshots collect() {
            ChannelCatalog catalog = channels;
            return MetricSnapshots.of(
                    gauge(catalog, VIEWERS, "Viewers of a channel", HeadendMetrics::viewers),
                    gauge(catalog, RESTARTS, "Pipeline restarts of the channel's current stream",
                            s -> s.map(st -> st.snapshot().restarts()).orElse(0)));
        }

        @Override
        public List<String> getPrometheusNames() {
            return List.of(VIEWERS, RESTARTS);
        }

        private GaugeSnapshot gauge(ChannelCatalog catalog, String name, String help,
                ToDoubleFunction<Optional<LiveStream>> value) {
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
            for (Channel c : catalog.all()) {
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("channel", c.id()))
                        .value(value.applyAsDouble(streams.find(c.id()))).build());
            }
            return gauge.build();
        }
    }
}
