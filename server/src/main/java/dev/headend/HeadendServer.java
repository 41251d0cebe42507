package dev.headend;

import dev.headend.api.ChannelsApi;
import dev.headend.api.ConfigApi;
import dev.headend.api.Router;
import dev.headend.api.StaticAssets;
import dev.headend.api.StreamsApi;
import dev.headend.api.SystemApi;
import dev.headend.metrics.HeadendMetrics;
import dev.headend.channel.Channel;
import dev.headend.channel.ChannelCatalog;
import dev.headend.channel.Source;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.config.ServerSettings;
import dev.headend.delivery.ContinuousTsDelivery;
import dev.headend.delivery.HlsDelivery;
import dev.headend.pipeline.FfmpegCommand;
import dev.headend.pipeline.OrphanReaper;
import dev.headend.pipeline.Pipeline;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SystemProbe;
import dev.headend.reload.ConfigReloader;
import dev.headend.resilience.RestartPolicy;
import dev.headend.slate.SlateLibrary;
import dev.headend.slate.SlateService;
import dev.headend.stream.Failover;
import dev.headend.stream.Stream;
import dev.headend.session.SessionRegistry;
import dev.headend.stream.PipelineLauncher;
import dev.headend.stream.StreamManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server by hand: configuration, streams, sessions, delivery, API, configuration
 * reload and the periodic tasks (idle policy every 500 ms, stall sweep at the configured
 * interval). {@link #start()} first ends pipelines orphaned by an earlier run; {@link #stop()}
 * stops every pipeline and waits until each process is reaped.
 */
public final class HeadendServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadendServer.class);
    private static final long IDLE_TICK_MS = 500;
    private static final int IDLE_TIMEOUT_MS = 30_000;
    private static final Duration AUDIT_INTERVAL = Duration.ofSeconds(30);
    /** How long a spawn may wait for a rate-limit token before it is refused. */
    private static final Duration SPAWN_TOKEN_WAIT = Duration.ofSeconds(2);
    /** Memory set aside per FFmpeg process when deriving the process cap from free memory. */
    private static final long BYTES_PER_PROCESS = 64L << 20;
    private static final int FDS_PER_PROCESS = 16;

    private final ServerSettings settings;
    private final Path dataDir;
    private final Path captionDir;
    private final String owner;
    private final ScheduledExecutorService scheduler;
    private final ProcessPool pool;
    private final RestartPolicy policy;
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final HeadendMetrics metrics;
    private final Optional<ConfigReloader> reloader;
    private final Server jetty;
    private volatile int orphansReaped;

    /** @param loader reads the configuration file again on reload (same environment as at start) */
    public HeadendServer(HeadendConfig config, ConfigLoader loader) {
        this.settings = config.settings();
        ChannelCatalog channels = new ChannelCatalog(config.channels());
        this.dataDir = settings.dataDir().toAbsolutePath().normalize();
        this.captionDir = dataDir.resolve("captions");
        this.owner = dataDir.toString();
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("headend-tasks-", 0)
                .factory());
        Clock clock = Clock.systemUTC();
        this.pool = new ProcessPool(new ProcessPool.Limits(settings.maxProcesses(), settings.spawnsPerSecond(),
                settings.spawnsPerSecond(), settings.memoryGuardPercent(), settings.minFreeFds(), SPAWN_TOKEN_WAIT,
                BYTES_PER_PROCESS, FDS_PER_PROCESS), SystemProbe.linux(), clock, owner);
        this.policy = new RestartPolicy(new RestartPolicy.Config(settings.restartLimit(), settings.restartWindow(),
                settings.restartCooldown(), settings.healthyRun(), settings.breakerFailures(),
                settings.breakerWindow(), settings.breakerOpen()), clock);
        SlateService slates = new SlateService(new SlateLibrary(settings.ffmpeg(), dataDir.resolve("slate")),
                ffprobe(settings.ffmpeg()), settings.segmentSeconds(), Executors.newVirtualThreadPerTaskExecutor(),
                clock);
        Stream.Settings streamSettings = new Stream.Settings(settings.segmentSeconds(), settings.stopGrace(),
                settings.maxProcessAge(), new Failover(settings.failoverFailures(), settings.failoverWindow(),
                        settings.failback()));
        this.streams = new StreamManager(channels,
                new Stream.Context(launcher(), policy, slates, scheduler, clock, streamSettings),
                settings.windowSegments());
        this.sessions = new SessionRegistry(clock, settings.sessionIdle());
        this.metrics = new HeadendMetrics(streams, sessions, pool, policy);
        this.reloader = config.file().map(file -> new ConfigReloader(loader, file, settings, streams,
                metrics::syncChannels, clock));
        this.jetty = jetty();
    }

    /** Reaps orphans, prepares the data directory, starts HTTP and the periodic tasks. */
    public void start() throws Exception {
        prepareDataDir();
        orphansReaped = OrphanReaper.reap(owner);
        if (orphansReaped > 0) {
            log.warn("ended {} FFmpeg process(es) left behind by an earlier run of this server", orphansReaped);
        } else {
            log.info("no FFmpeg process left behind by an earlier run");
        }
        jetty.start();
        scheduler.scheduleWithFixedDelay(this::tick, IDLE_TICK_MS, IDLE_TICK_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::audit, AUDIT_INTERVAL.toMillis(), AUDIT_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        long sweep = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        log.info("Headend serving {} channel(s) at {}", streams.channels().all().size(), url());
    }

    /** The base URL clients use, for example {@code http://127.0.0.1:8080}. */
    public String url() {
        ServerConnector c = (ServerConnector) jetty.getConnectors()[0];
        String host = settings.bind().equals("0.0.0.0") ? "127.0.0.1" : settings.bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getLocalPort();
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public int orphansReaped() {
        return orphansReaped;
    }

    public StreamManager streams() {
        return streams;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** Reloads the configuration file; empty when the server was started without one. */
    public Optional<ConfigReloader> reloader() {
        return reloader;
    }

    /** Stops every pipeline (waiting until reaped), then HTTP. Idempotent. */
    public void stop() {
        log.info("shutting down: stopping {} stream(s)", streams.all().size());
        streams.shutdown();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        scheduler.shutdownNow();
        log.info("shutdown complete");
    }

    @Override
    public void close() {
        stop();
    }

    private void tick() {
        try {
            sessions.expireIdle();
            streams.tick();
        } catch (RuntimeException e) {
            log.error("idle policy failed", e);
        }
    }

    private void audit() {
        try {
            pool.audit();
        } catch (RuntimeException e) {
            log.error("process audit failed", e);
        }
    }

    private void sweep() {
        try {
            int n = streams.sweep(settings.startTimeout());
            if (n > 0) {
                log.info("sweep acted on {} stream(s)", n);
            }
        } catch (RuntimeException e) {
            log.error("sweep failed", e);
        }
    }

    private PipelineLauncher launcher() {
        return (channel, source, segmenter, onExit) -> {
            if (source instanceof Source.TestPattern) {
                writeCaption(channel);
            }
            return pool.spawn(new Pipeline.Spec(channel.id(),
                    FfmpegCommand.build(settings.ffmpeg(), channel, source, settings.segmentSeconds(),
                            captionFile(channel)),
                    captionDir, Map.of("HEADEND_CHANNEL", channel.id())),
                    segmenter, onExit);
        };
    }

    /**
     * Writes the name a test pattern draws, for the pipeline about to start. Replaced atomically:
     * a pipeline still running reads its caption only when it starts, so rewriting it is safe.
     */
    private void writeCaption(Channel c) throws IOException {
        Path caption = captionDir.resolve(captionFile(c));
        Path fresh = Files.createTempFile(captionDir, c.id(), ".new");
        Files.writeString(fresh, c.name(), StandardCharsets.UTF_8);
        Files.move(fresh, caption, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** ffprobe beside the configured FFmpeg ({@code /opt/ff/ffmpeg} gives {@code /opt/ff/ffprobe}). */
    static String ffprobe(String ffmpeg) {
        return ffmpeg.endsWith("ffmpeg") ? ffmpeg.substring(0, ffmpeg.length() - "ffmpeg".length()) + "ffprobe"
                : "ffprobe";
    }

    public ProcessPool pool() {
        return pool;
    }

    public RestartPolicy policy() {
        return policy;
    }

    private static String captionFile(Channel c) {
        return c.id() + ".txt";
    }

    private void prepareDataDir() {
        try {
            Files.createDirectories(captionDir);
            Files.createDirectories(dataDir.resolve("slate"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + dataDir, e);
        }
    }

    private Server jetty() {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        var start = settings.startTimeout();
        server.setHandler(new Router(
                new HlsDelivery(streams, sessions, start),
                new ContinuousTsDelivery(streams, sessions, start),
                new StreamsApi(streams, start),
                new ChannelsApi(streams),
                new SystemApi(streams, sessions, pool, policy, metrics),
                new ConfigApi(reloader),
                new StaticAssets()));
        server.setStopTimeout(2_000);
        return server;
    }
}
