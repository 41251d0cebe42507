package dev.headend;

import dev.headend.catalog.ChannelRegistry;
import dev.headend.catalog.SqliteChannelStore;
import dev.headend.channel.Channel;
import dev.headend.cluster.ClusterEvents;
import dev.headend.cluster.ClusterNode;
import dev.headend.cluster.ClusterSettings;
import dev.headend.cluster.LocalStreams;
import dev.headend.cluster.NodeIdentity;
import dev.headend.cluster.PeerClient;
import dev.headend.cluster.PlaylistHold;
import dev.headend.cluster.PlaylistState;
import dev.headend.cluster.RedisClusterStore;
import dev.headend.cluster.SharedConfig;
import dev.headend.config.ConfigException;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.config.ServerSettings;
import dev.headend.config.Setting;
import dev.headend.events.EventData;
import dev.headend.events.EventHub;
import dev.headend.events.EventJournal;
import dev.headend.events.EventLog;
import dev.headend.events.EventSource;
import dev.headend.events.EventSettings;
import dev.headend.events.InvalidWebhookException;
import dev.headend.events.JournalEventSource;
import dev.headend.events.SqliteEventJournal;
import dev.headend.events.SqliteWebhookStore;
import dev.headend.events.WebhookDispatcher;
import dev.headend.metrics.HeadendMetrics;
import dev.headend.mirror.HlsMirror;
import dev.headend.pipeline.FfmpegLauncher;
import dev.headend.pipeline.OrphanReaper;
import dev.headend.pipeline.ProcessPool;
import dev.headend.pipeline.SystemProbe;
import dev.headend.relay.Relay;
import dev.headend.reload.ConfigReloader;
import dev.headend.reload.ReloadReport;
import dev.headend.resilience.RestartPolicy;
import dev.headend.security.AdminToken;
import dev.headend.security.FailedAttempts;
import dev.headend.security.PlaybackSigner;
import dev.headend.security.Secret;
import dev.headend.security.Secrets;
import dev.headend.security.SecuritySettings;
import dev.headend.session.SessionLedger;
import dev.headend.session.SessionListener;
import dev.headend.session.SessionRegistry;
import dev.headend.session.ViewerSession;
import dev.headend.settings.LiveSettings;
import dev.headend.settings.SettingsStore;
import dev.headend.slate.SlateLibrary;
import dev.headend.slate.SlateService;
import dev.headend.store.Database;
import dev.headend.store.StoreException;
import dev.headend.stream.LiveStream;
import dev.headend.stream.Ownership;
import dev.headend.stream.PlaylistContinuity;
import dev.headend.stream.Reconfiguration;
import dev.headend.stream.StreamContext;
import dev.headend.stream.StreamManager;
import dev.headend.time.Scheduler;
import dev.headend.time.TimeSource;
import dev.headend.web.AccessGuard;
import dev.headend.web.BaseUrls;
import dev.headend.web.HttpServer;
import dev.headend.web.Router;
import dev.headend.web.StaticAssets;
import dev.headend.web.api.ChannelImportApi;
import dev.headend.web.api.ChannelsApi;
import dev.headend.web.api.ClusterApi;
import dev.headend.web.api.ConfigApi;
import dev.headend.web.api.OpenApiDocument;
import dev.headend.web.api.SessionsApi;
import dev.headend.web.api.SettingsApi;
import dev.headend.web.api.StreamsApi;
import dev.headend.web.api.SystemApi;
import dev.headend.web.api.ViewerCounts;
import dev.headend.web.events.EventFeeds;
import dev.headend.web.events.EventRoutes;
import dev.headend.web.events.EventSocket;
import dev.headend.web.events.WebhookRoutes;
import dev.headend.web.iptv.InstallId;
import dev.headend.web.iptv.OutputLinks;
import dev.headend.web.iptv.PlaylistRoutes;
import dev.headend.web.iptv.SsdpResponder;
import dev.headend.web.iptv.TunerRoutes;
import dev.headend.web.live.ContinuousTsRoutes;
import dev.headend.web.live.HlsRoutes;
import dev.headend.web.live.PeerRelay;
import dev.headend.web.live.PlaybackLinks;
import dev.headend.web.relay.RelayApi;
import dev.headend.web.relay.RelayRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server by hand and runs its life: every component is built here, and the root
 * container starts them in the order they are declared below and stops them in reverse.
 *
 * <p>Start order: the data directory; the reaper of processes left by an earlier run of this
 * server; the check that FFmpeg and ffprobe run (and, for the demo, its clip); the scheduler;
 * the event log's writer (the store itself is opened, checked and migrated when the server is
 * built; streams that were running when the server last died end as {@code crashed} here) and
 * the webhook dispatcher; the process pool and its audit; HTTP; the event feeds; session
 * expiry and cleanup; the relay's checks; streams; their periodic checks (health, idle and always-on policies), the
 * HLS mirror and the start-timeout sweep. Stopping in reverse ends the periodic work, then every stream (each
 * pipeline process stopped and reaped, continuous-TS viewers finished, its end stored as an
 * event), then the event feeds and HTTP, then the pool (tool runs still in flight are killed and
 * reaped; nothing starts any more), then the webhook dispatcher (pending deliveries stay in the
 * outbox for the next start), the event log (what is queued is stored) and the store.
 */
public final class HeadendServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadendServer.class);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration AUDIT_INTERVAL = Duration.ofSeconds(30);
    /** How long stopping waits for the processes still running (tool runs) to end once killed. */
    private static final Duration POOL_SHUTDOWN = Duration.ofSeconds(5);
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(10);
    /** Events kept at least: this long, and at least this many (and any still due to a webhook). */
    private static final Duration EVENT_RETENTION = Duration.ofHours(24);
    private static final int EVENTS_KEPT = 1000;
    /** A relayed playlist or segment may take the start timeout (the owner starting the channel) and this long. */
    private static final Duration PEER_MARGIN = Duration.ofSeconds(5);
    /** How long stopping waits for the streams' last events to be stored, to append them to the cluster's stream. */
    private static final Duration EVENT_FLUSH = Duration.ofSeconds(5);

    /** What the server does before it serves. */
    public enum Mode {
        /** Serve the configuration as it is. */
        SERVE,
        /** Also generate the demo channels' missing media files. */
        DEMO
    }

    private final ServerSettings settings;
    private final LiveSettings liveSettings;
    private final Path dataDir;
    private final ProcessPool pool;
    private final Database database;
    private final EventJournal journal;
    private final EventHub hub;
    private final EventLog events;
    private final WebhookDispatcher webhooks;
    private final RestartPolicy policy;
    private final StreamManager streams;
    private final SessionRegistry sessions;
    private final Relay relay;
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
        this(config, loader, mode, SsdpResponder.PORT);
    }

    /** @param ssdpPort the UDP port SSDP discovery answers on, when {@code ssdp_discovery} is on */
    HeadendServer(HeadendConfig config, ConfigLoader loader, Mode mode, int ssdpPort) {
        TimeSource time = TimeSource.system();
        // the store is in data_dir, so data_dir is never set through the API
        this.dataDir = config.settings().dataDir().toAbsolutePath().normalize();
        try {
            this.database = Database.open(dataDir);
        } catch (StoreException e) {
            throw new ConfigException("store: " + e.getMessage());
        }
        try {
            this.liveSettings = LiveSettings.start(config.settings(), new SettingsStore(database), time);
        } catch (ConfigException e) {
            database.close();
            throw e;
        }
        this.settings = liveSettings.started();
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
        // first the processes an earlier run left behind (the reaper ends every process with this data
        // dir's mark, the tool check's too), then the tool check, which runs while the server is built
        reapOrphans();
        Preflight.Running tools = Preflight.start(pool, ffmpeg, ffprobe, dataDir);
        EventSettings eventSettings = settings.events();
        this.journal = new SqliteEventJournal(database);
        this.hub = new EventHub(eventSettings.listenerQueue());
        try {
            this.webhooks = new WebhookDispatcher(config.webhooks(), new SqliteWebhookStore(database), journal,
                    eventSettings.backoff(), eventSettings.giveUpAfter(), time);
        } catch (InvalidWebhookException e) {
            database.close();
            throw new ConfigException(e.getMessage());
        } catch (StoreException e) {
            database.close();
            throw new ConfigException("store: " + e.getMessage());
        }
        Optional<ClusterNode> cluster = cluster(settings, dataDir, time);
        // in a cluster the feeds hear the cluster's stream (their own hub); the log's hub then has no listener
        EventHub journalHub = cluster.isPresent() ? new EventHub(eventSettings.listenerQueue()) : hub;
        this.events = new EventLog(journal, journalHub, cluster.map(ClusterNode::id).orElseGet(HeadendServer::node),
                time, webhooks::receiversFor, webhooks::wake);
        Optional<ClusterEvents> clusterEvents = cluster.map(n -> new ClusterEvents(n.store(), n.id(), journal, hub));
        this.policy = new RestartPolicy(settings.restarts(), time);
        SlateService slates = new SlateService(new SlateLibrary(pool, ffmpeg, slateDir), pool, ffprobe, slateDir,
                segmentSeconds, background, time);
        EventLog eventLog = events;
        this.relay = new Relay(settings.relay(), time, (streamId, silence) -> eventLog.publish(streamId,
                new EventData.PublisherStalled(silence.toMillis() / 1000.0)));
        Ownership ownership = cluster.<Ownership>map(n -> n).orElse(Ownership.SINGLE_NODE);
        StreamContext streamContext = new StreamContext(new FfmpegLauncher(pool, ffmpeg, segmentSeconds, captionDir,
                new RelayPushFeeds(relay)), policy, slates, time, scheduler, background, settings.streams(), events);
        ChannelRegistry channels;
        try {
            channels = ChannelRegistry.open(config, new SqliteChannelStore(database),
                    catalog -> new StreamManager(catalog, config.templates(), streamContext, ownership,
                            cluster.<PlaylistContinuity>map(n -> n).orElse(PlaylistContinuity.SINGLE_NODE)));
        } catch (StoreException e) {
            database.close();
            throw new ConfigException("store: " + e.getMessage());
        }
        this.streams = channels.streams();
        Optional<SharedConfig> shared = cluster.map(n -> new SharedConfig(n, items -> {
            liveSettings.adoptShared(items);
            channels.adoptShared(items);
        }));
        shared.ifPresent(s -> {
            liveSettings.share(s);
            channels.share(s);
        });
        this.sessions = new SessionRegistry(time, settings.sessions(), new SessionListener() {
            @Override
            public void started(ViewerSession s) {
                eventLog.publish(s.channelId(), new EventData.SessionStarted(s.id(), s.kind().label(), s.remote()));
            }

            @Override
            public void ended(ViewerSession s) {
                eventLog.publish(s.channelId(), new EventData.SessionEnded(s.id(), s.kind().label(),
                        s.openedAt().until(time.now()).toMillis() / 1000.0, s.bytesSent()));
            }
        }, cluster.<SessionLedger>map(n -> new ClusterSessionLedger(n.sessions())).orElse(SessionLedger.LOCAL));
        SecuritySettings security = settings.security();
        try {
            this.adminToken = AdminToken.resolve(security.adminToken(), dataDir);
        } catch (IOException e) {
            throw new ConfigException("admin token: " + e.getMessage());
        }
        Optional<PlaybackSigner> signer = security.playbackSecret().map(PlaybackSigner::new);
        HeadendMetrics metrics = new HeadendMetrics(streams, sessions, pool, policy, relay);
        channels.listen(metrics::syncChannels);
        this.reloader = config.file().map(file -> new ConfigReloader(loader, file, liveSettings, channels,
                report -> events.publishServerEvent(reloaded(report)), time));
        PlaybackLinks links = new PlaybackLinks(signer, security.signedUrlLifetime(), time);
        Optional<PeerClient> peerClient = cluster.map(n -> new PeerClient(
                () -> n.credential().map(Secret::reveal).orElse(""),
                settings.streams().startTimeout().plus(PEER_MARGIN)));
        PeerRelay peers = peerClient.map(c -> new PeerRelay(cluster, c, streams, sessions,
                new PlaylistHold(time, cluster.get().leaseTtl().plus(settings.streams().startTimeout())
                        .plus(PEER_MARGIN)))).orElse(PeerRelay.SINGLE_NODE);
        ViewerCounts viewerCounts = cluster.<ViewerCounts>map(n -> n.sessions()::counts).orElse(ViewerCounts.LOCAL);
        ContinuousTsRoutes ts = new ContinuousTsRoutes(streams, sessions, settings.throttle(),
                settings.tsStartSlate(), time, peers);
        liveSettings.onChange(update -> {
            ServerSettings running = update.running();
            streams.settings(running.streams());
            sessions.settings(running.sessions());
            ts.settings(running.throttle(), running.tsStartSlate());
            policy.reconfigure(running.restarts());
            if (!update.changed().isEmpty()) {
                eventLog.publishServerEvent(new EventData.SettingsChanged(keys(update.changed()),
                        keys(update.appliedLive()), keys(update.pendingRestart())));
            }
        });
        OutputLinks outputs = new OutputLinks(signer, links);
        EventFeeds feeds = new EventFeeds(clusterEvents.<EventSource>map(e -> e)
                .orElseGet(() -> new JournalEventSource(journal, hub)), streams);
        String installId;
        try {
            installId = InstallId.resolve(dataDir);
        } catch (IOException e) {
            throw new ConfigException("install id: " + e.getMessage());
        }
        Optional<HlsMirror> mirror = settings.hlsMirrorDir().map(dir -> new HlsMirror(dir.toAbsolutePath().normalize(),
                streams, background));
        this.http = new HttpServer(settings.http(), new Router(List.of(
                new HlsRoutes(streams, sessions, links, peers),
                ts,
                new PlaylistRoutes(streams, outputs, ts, time, settings.guide()),
                new TunerRoutes(streams, outputs, ts, installId, settings.pool().maxProcesses()),
                new StreamsApi(streams, links, time, () -> mirror.ifPresent(HlsMirror::pass), viewerCounts),
                new ChannelsApi(channels, links, viewerCounts),
                new ChannelImportApi(channels),
                new SessionsApi(streams, sessions, time, cluster, peerClient.orElse(null)),
                new SystemApi(streams, sessions, pool, policy, metrics, cluster),
                new ClusterApi(cluster),
                new ConfigApi(reloader),
                new OpenApiDocument(),
                new SettingsApi(liveSettings),
                new EventRoutes(feeds),
                new EventSocket(feeds),
                new WebhookRoutes(webhooks, events),
                new RelayRoutes(relay, sessions),
                new RelayApi(relay, settings.relayTokens()),
                new StaticAssets()),
                new AccessGuard(adminToken.secret(), security.metricsPublic(), signer, new FailedAttempts(time), time,
                        settings.relayTokens()),
                new BaseUrls(settings.http().publicUrl())));

        add("data directory", () -> {
            Files.createDirectories(captionDir);
            Files.createDirectories(slateDir);
        }, Component.Step.NOTHING);
        add("tool check", () -> {
            tools.await();
            if (mode == Mode.DEMO) {
                DemoClip.ensure(pool, ffmpeg, config.channels());
            }
        }, Component.Step.NOTHING);
        add("scheduler", Component.Step.NOTHING, executor::shutdownNow);
        add("store", Component.Step.NOTHING, database::close);
        add("event log", events::start, events::stop);
        add("webhooks", webhooks::start, webhooks::stop);
        // on a thread of its own: a slow disk never holds the scheduler the streams' checks run on
        components.addBean(Component.every("event pruning", scheduler, PRUNE_INTERVAL,
                () -> Thread.ofVirtual().name("event-pruning").start(this::prune)), true);
        add("process pool", Component.Step.NOTHING, () -> pool.shutdown(POOL_SHUTDOWN));
        components.addBean(Component.every("process audit", scheduler, AUDIT_INTERVAL, pool::audit), true);
        EventSocket.install(http.jetty());
        components.addBean(http.jetty(), true);
        if (settings.ssdpDiscovery()) {
            SsdpResponder ssdp = new SsdpResponder(ssdpPort, installId, settings.http(), http::port);
            add("SSDP discovery", ssdp::start, ssdp::stop);
        }
        add("event feeds", Component.Step.NOTHING, hub::close);
        components.addBean(Component.every("session expiry", scheduler, TICK, sessions::expireIdle), true);
        components.addBean(Component.every("session cleanup", scheduler, settings.sessions().cleanupInterval(),
                sessions::cleanup), true);
        components.addBean(Component.every("relay checks", scheduler, TICK, relay::tick), true);
        cluster.ifPresent(n -> {
            // after HTTP (its URL names the port), before the streams: it stops after them, giving back their leases
            add("cluster node", n::start, n::stop);
            // on a thread of its own: a Redis that does not answer never holds the scheduler the streams' checks run on
            components.addBean(Component.every("cluster checks", scheduler, n.tickInterval(),
                    () -> background.execute(n::tick)), true);
            // this node's sessions keep counting in the cluster's tallies (they stop within their expiry otherwise)
            components.addBean(Component.every("cluster session counts", scheduler, ClusterNode.REPORT_INTERVAL,
                    () -> background.execute(() -> n.sessions().renew(sessions.countedIds()))), true);
        });
        clusterEvents.ifPresent(e -> {
            // stopped after the streams, before the cluster node: the streams' ends reach the stream first
            add("cluster events", Component.Step.NOTHING, () -> {
                if (!events.flush(EVENT_FLUSH)) {
                    log.warn("events still being stored after {} s: the rest reach the cluster's stream at the next"
                            + " start", EVENT_FLUSH.toSeconds());
                }
                e.finish();
            });
            // on a thread of its own, like the cluster checks: the stream to and from Redis, for the feeds
            components.addBean(Component.every("cluster event stream", scheduler, ClusterEvents.INTERVAL,
                    () -> background.execute(e::tick)), true);
        });
        shared.ifPresent(s -> {
            // stops before the cluster node, which closes the store
            add("shared settings and channels", Component.Step.NOTHING, s::stop);
            components.addBean(Component.every("shared changes checks", scheduler, TICK,
                    () -> background.execute(s::tick)), true);
        });
        add("streams", Component.Step.NOTHING, () -> {
            log.info("shutting down: stopping {} stream(s)", streams.all().size());
            streams.shutdown();
        });
        components.addBean(Component.every("stream checks", scheduler, TICK, streams::tick), true);
        mirror.ifPresent(m -> {
            add("HLS mirror directory", () -> m.clear(streams.channels().all().stream().map(Channel::id).toList()),
                    m::stop);
            components.addBean(Component.every("HLS mirror", scheduler, Duration.ofMillis(HlsMirror.PERIOD_MILLIS),
                    m::tick), true);
        });
        components.addBean(Component.every("stall sweep", scheduler, settings.streams().sweepInterval(),
                this::sweep), true);
    }

    /**
     * This node in its cluster when a Redis address is set (nothing of Redis is loaded otherwise);
     * its streams and its URL are read when it runs, once the server is built and listens.
     */
    private Optional<ClusterNode> cluster(ServerSettings settings, Path dataDir, TimeSource time) {
        Optional<ClusterSettings> wanted = settings.cluster();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        ClusterSettings c = wanted.get();
        String id;
        try {
            id = NodeIdentity.id(c.nodeId(), dataDir);
        } catch (IOException e) {
            database.close();
            throw new ConfigException("node id: " + e.getMessage());
        }
        LocalStreams local = new LocalStreams() {
            @Override
            public Set<String> running() {
                return runningChannels();
            }

            @Override
            public int viewers() {
                return streams.all().stream().mapToInt(LiveStream::viewers).sum();
            }

            @Override
            public void stop(String channelId, String reason) {
                stopInBackground(channelId, reason);
            }

            @Override
            public Optional<Numbering> numbering(String channelId) {
                List<PlaylistState.RecentSegment> listed = streams.find(channelId).map(s -> s.store().playlist()
                        .window().stream().map(g -> new PlaylistState.RecentSegment(g.sequence(), g.duration(),
                                g.discontinuity())).toList()).orElse(List.of());
                return streams.continuation(channelId).map(c -> new Numbering(c.nextSequence(),
                        c.discontinuitySequence(), listed));
            }

            @Override
            public void prepare(String channelId) {
                Thread.ofVirtual().name("cluster-prepare-" + channelId).start(() -> {
                    try {
                        streams.start(channelId);
                    } catch (Exception e) {
                        log.warn("cluster: channel {} offered to this node does not start here: {}", channelId,
                                Secrets.mask(e.getMessage()));
                    }
                });
            }

            @Override
            public boolean ready(String channelId) {
                Optional<LiveStream> stream = streams.find(channelId).filter(s -> !s.terminal());
                stream.ifPresent(LiveStream::watched);
                return stream.flatMap(s -> s.snapshot().mediaSequence()).isPresent();
            }
        };
        return Optional.of(new ClusterNode(c, RedisClusterStore.open(c.redis()), id,
                () -> NodeIdentity.url(c.nodeUrl(), settings.http().bind(), port()), time, local));
    }

    private Set<String> runningChannels() {
        return streams.all().stream().filter(s -> !s.terminal()).map(LiveStream::id).collect(Collectors.toSet());
    }

    private void stopInBackground(String channelId, String reason) {
        Thread.ofVirtual().name("cluster-stop-" + channelId).start(() -> streams.stop(channelId, reason));
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

    /** Every route the server answers, as wired here. */
    public List<Router.Endpoint> routes() {
        return http.router().endpoints();
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

    /** The WebSocket frame relay. */
    public Relay relay() {
        return relay;
    }

    public ProcessPool pool() {
        return pool;
    }

    public RestartPolicy policy() {
        return policy;
    }

    /** The server settings: started with, wanted, in effect. */
    public LiveSettings settings() {
        return liveSettings;
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

    /** The log's name for this server: the host name. */
    private static String node() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "headend";
        }
    }

    private static List<String> keys(List<Setting> settings) {
        return settings.stream().map(Setting::key).toList();
    }

    private static EventData reloaded(ReloadReport r) {
        Reconfiguration c = r.channels();
        return new EventData.ConfigReloaded(c.added(), c.removed(), c.updated(), c.hotSwapped(), c.restarted(),
                r.restartRequired());
    }

    private void prune() {
        try {
            int n = journal.prune(System.currentTimeMillis() - EVENT_RETENTION.toMillis(), EVENTS_KEPT);
            if (n > 0) {
                log.info("pruned {} event(s) older than {} h", n, EVENT_RETENTION.toHours());
            }
        } catch (StoreException e) {
            log.warn("event pruning failed, tried again later: {}", e.getMessage());
        }
    }

    public EventLog events() {
        return events;
    }

    public EventHub eventHub() {
        return hub;
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
