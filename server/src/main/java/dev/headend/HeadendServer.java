package dev.headend;

import dev.headend.channel.ChannelCatalog;
import dev.headend.config.ConfigException;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.config.ServerSettings;
import dev.headend.metrics.HeadendMetrics;
import dev.headend.pipeline.FfmpegLauncher;
import dev.headend.pipeline.OrphanReaper;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SystemProbe;
import dev.headend.reload.ConfigReloader;
import dev.headend.resilience.RestartPolicy;
import dev.headend.security.AdminToken;
import dev.headend.security.FailedAttempts;
import dev.headend.security.PlaybackSigner;
import dev.headend.security.SecuritySettings;
import dev.headend.session.SessionRegistry;
import dev.headend.slate.SlateLibrary;
import dev.headend.slate.SlateService;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamManager;
import dev.headend.time.Scheduler;
import dev.headend.time.TimeSource;
import dev.headend.web.AccessGuard;
import dev.headend.web.BaseUrls;
import dev.headend.web.HttpServer;
import dev.headend.web.Router;
import dev.headend.web.StaticAssets;
import dev.headend.web.api.ChannelsApi;
import dev.headend.web.api.ConfigApi;
import dev.headend.web.api.SessionsApi;
import dev.headend.web.api.StreamsApi;
import dev.headend.web.api.SystemApi;
import dev.headend.web.iptv.InstallId;
import dev.headend.web.iptv.OutputLinks;
import dev.headend.web.iptv.PlaylistRoutes;
import dev.headend.web.iptv.TunerRoutes;
import dev.headend.web.live.ContinuousTsRoutes;
import dev.headend.web.live.HlsRoutes;
import dev.headend.web.live.PlaybackLinks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server by hand and runs its life: every component is built here, and the root
 * container starts them in the order they are declared below and stops them in reverse.
 *
 * <p>Start order: the data directory; the reaper of processes left by an earlier run of this
 * server; the check that FFmpeg and ffprobe run (and, for the demo, its clip); the scheduler;
 * the process pool and its audit; HTTP; session expiry and cleanup; streams; their periodic checks (health,
 * idle and always-on policies) and the start-timeout sweep. Stopping in reverse ends the
 * periodic work, then every stream (each pipeline process stopped and reaped, continuous-TS
 * viewers finished), then HTTP, then the pool (tool runs still in flight are killed and
 * reaped; nothing starts any more), then the rest.
 */
public final class HeadendServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadendServer.class);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration AUDIT_INTERVAL = Duration.ofSeconds(30);
    /** How long stopping waits for the processes still running (tool runs) to end once killed. */
    private static final Duration POOL_SHUTDOWN = Duration.ofSeconds(5);

    /** What the server does before it serves. */
    public enum Mode {
        /** Serve the configuration as it is. */
        SERVE,
        /** Also generate the demo channels' missing media files. */
        DEMO
    }

    private final ServerSettings settings;
    private final Path dataDir;
    private final ProcessPool pool;
    private final RestartPolicy policy;
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final Optional<ConfigReloader> reloader;
    private final HttpServer http;
    private final AdminToken adminToken;
    private final ContainerLifeCycle components = new ContainerLifeCycle();
    private volatile int orphansReaped;

    /** @param loader reads the configuration file again on reload (same environment as at start) */
    public HeadendServer(HeadendConfig config, ConfigLoader loader) {
        this(config, loader, Mode.SERVE);
    }

    public HeadendServer(HeadendConfig config, ConfigLoader loader, Mode mode) {
        this.settings = config.settings();
        TimeSource time = TimeSource.system();
        this.dataDir = settings.dataDir().toAbsolutePath().normalize();
        Path captionDir = dataDir.resolve("captions");
        Path slateDir = dataDir.resolve("slate");
        String owner = dataDir.toString();
        String ffmpeg = settings.ffmpeg();
        String ffprobe = ffprobe(ffmpeg);
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().daemon().name("headend-tasks-", 0).factory());
        Scheduler scheduler = Scheduler.on(executor);
        Executor background = task -> Thread.ofVirtual().name("headend-work").start(task);
        int segmentSeconds = settings.streams().segmentSeconds();

        this.pool = new ProcessPool(settings.pool(), SystemProbe.linux(), time, owner);
        this.policy = new RestartPolicy(settings.restarts(), time);
        SlateService slates = new SlateService(new SlateLibrary(pool, ffmpeg, slateDir), pool, ffprobe, slateDir,
                segmentSeconds, background, time);
        this.streams = new StreamManager(new ChannelCatalog(config.channels()),
                new StreamContext(new FfmpegLauncher(pool, ffmpeg, segmentSeconds, captionDir), policy, slates, time,
                        scheduler, background, settings.streams()));
        this.sessions = new SessionRegistry(time, settings.sessions());
        SecuritySettings security = settings.security();
        try {
            this.adminToken = AdminToken.resolve(security.adminToken(), dataDir);
        } catch (IOException e) {
            throw new ConfigException("admin token: " + e.getMessage());
        }
        Optional<PlaybackSigner> signer = security.playbackSecret().map(PlaybackSigner::new);
        HeadendMetrics metrics = new HeadendMetrics(streams, sessions, pool, policy);
        this.reloader = config.file().map(file -> new ConfigReloader(loader, file, settings, streams,
                metrics::syncChannels, time));
        PlaybackLinks links = new PlaybackLinks(signer, security.signedUrlLifetime(), time);
        ContinuousTsRoutes ts = new ContinuousTsRoutes(streams, sessions, settings.throttle(), time);
        OutputLinks outputs = new OutputLinks(signer, links);
        String installId;
        try {
            installId = InstallId.resolve(dataDir);
        } catch (IOException e) {
            throw new ConfigException("install id: " + e.getMessage());
        }
        this.http = new HttpServer(settings.http(), new Router(List.of(
                new HlsRoutes(streams, sessions, links),
                ts,
                new PlaylistRoutes(streams, outputs, ts, time),
                new TunerRoutes(streams, outputs, ts, installId, settings.pool().maxProcesses()),
                new StreamsApi(streams, links, time),
                new ChannelsApi(streams, links),
                new SessionsApi(streams, sessions, time),
                new SystemApi(streams, sessions, pool, policy, metrics),
                new ConfigApi(reloader),
                new StaticAssets()),
                new AccessGuard(adminToken.secret(), security.metricsPublic(), signer, new FailedAttempts(time), time),
                new BaseUrls(settings.http().publicUrl())));

        add("data directory", () -> {
            Files.createDirectories(captionDir);
            Files.createDirectories(slateDir);
        }, Component.Step.NOTHING);
        add("orphan reaper", this::reapOrphans, Component.Step.NOTHING);
        add("tool check", () -> {
            Preflight.checkTools(pool, ffmpeg, ffprobe, dataDir);
            if (mode == Mode.DEMO) {
                DemoClip.ensure(pool, ffmpeg, config.channels());
            }
        }, Component.Step.NOTHING);
        add("scheduler", Component.Step.NOTHING, executor::shutdownNow);
        add("process pool", Component.Step.NOTHING, () -> pool.shutdown(POOL_SHUTDOWN));
        components.addBean(Component.every("process audit", scheduler, AUDIT_INTERVAL, pool::audit), true);
        components.addBean(http.jetty(), true);
        components.addBean(Component.every("session expiry", scheduler, TICK, sessions::expireIdle), true);
        components.addBean(Component.every("session cleanup", scheduler, settings.sessions().cleanupInterval(),
                sessions::cleanup), true);
        add("streams", Component.Step.NOTHING, () -> {
            log.info("shutting down: stopping {} stream(s)", streams.all().size());
            streams.shutdown();
        });
        components.addBean(Component.every("stream checks", scheduler, TICK, streams::tick), true);
        components.addBean(Component.every("stall sweep", scheduler, settings.streams().sweepInterval(),
                this::sweep), true);
    }

    private void add(String name, Component.Step start, Component.Step stop) {
        components.addBean(new Component(name, start, stop), true);
    }

    /** Starts every component in order; on a failure, those already started are stopped again. */
    public void start() throws Exception {
        components.start();
        log.info("Headend serving {} channel(s) at {}", streams.channels().all().size(), url());
        announceAccess();
    }

    /** Stops every component in reverse order: every pipeline process is stopped and reaped first. Idempotent. */
    public void stop() {
        try {
            components.stop();
        } catch (Exception e) {
            log.warn("the server did not stop cleanly: {}", e.toString());
        }
        log.info("shutdown complete");
    }

    @Override
    public void close() {
        stop();
    }

    /** The base URL clients use, for example {@code http://127.0.0.1:8080}. */
    public String url() {
        return http.url();
    }

    public int port() {
        return http.port();
    }

    public int orphansReaped() {
        return orphansReaped;
    }

    /** The token admin requests carry, and where it came from. */
    public AdminToken adminToken() {
        return adminToken;
    }

    public StreamManager streams() {
        return streams;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public ProcessPool pool() {
        return pool;
    }

    public RestartPolicy policy() {
        return policy;
    }

    /** Reloads the configuration file; empty when the server was started without one. */
    public Optional<ConfigReloader> reloader() {
        return reloader;
    }

    /** Says at start-up who can reach the server and how admin requests authenticate. */
    private void announceAccess() {
        String bind = settings.http().bind();
        boolean loopback = bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1");
        if (loopback) {
            log.info("listening on {} only: to let TVs and phones on your network watch, set bind: 0.0.0.0"
                    + " (HEADEND_BIND=0.0.0.0)", bind);
        } else if (adminToken.origin() != AdminToken.Origin.CONFIGURED) {
            log.warn("listening on {}, reachable from the network, with a generated admin token: set admin_token"
                    + " (HEADEND_ADMIN_TOKEN) to choose it explicitly", bind);
        }
        adminToken.file().ifPresent(file -> log.info("admin token kept in {} (read it with: cat {})", file, file));
    }

    private void reapOrphans() {
        orphansReaped = OrphanReaper.reap(dataDir.toString());
        if (orphansReaped > 0) {
            log.warn("ended {} FFmpeg process(es) left behind by an earlier run of this server", orphansReaped);
        } else {
            log.info("no FFmpeg process left behind by an earlier run");
        }
    }

    private void sweep() {
        int n = streams.sweep();
        if (n > 0) {
            log.info("sweep acted on {} stream(s)", n);
        }
    }

    /** ffprobe beside the configured FFmpeg ({@code /opt/ff/ffmpeg} gives {@code /opt/ff/ffprobe}). */
    static String ffprobe(String ffmpeg) {
        return ffmpeg.endsWith("ffmpeg") ? ffmpeg.substring(0, ffmpeg.length() - "ffmpeg".length()) + "ffprobe"
                : "ffprobe";
    }
}
