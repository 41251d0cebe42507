package dev.headend.web;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The Jetty server: one connector on the configured address, handlers on virtual threads, CORS
 * on playback and IPTV output routes only, the router, and the JSON error handler for Jetty's own errors. It is
 * a Jetty life cycle: the server's root starts and stops it.
 *
 * <p>CORS: pages from the allowed origins ({@code cors_origins}, any by default) may read
 * {@code /live/...} and the IPTV outputs (players on other sites); preflights there are answered by Jetty. Every
 * other path answers without CORS headers, so no page from another origin can read an admin
 * answer; admin requests also need a bearer token, which browsers never add on their own.
 * Routes may upgrade to WebSocket through the server's {@link ServerWebSocketContainer}.
 */
public final class HttpServer {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /**
     * WebSocket connections are kept alive by the relay's own pings and deadlines; Jetty's idle
     * timeout only backs them up.
     */
    private static final Duration WEBSOCKET_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Jetty's cap on one WebSocket message; the relay reads messages in parts and keeps at most its
     * frame limit (64 MiB at most, 90 MB as base64 text), so this only ends absurd messages.
     */
    private static final long MAX_WEBSOCKET_MESSAGE = 128L * 1024 * 1024;
    /**
     * Jetty's per-connection cache of parsed request header lines, off: at Jetty's default size
     * (1024) it takes about 100 KB of heap per connection (500 MB for 5,000 players' keep-alive
     * connections), to spare a player's few header fields being parsed again on each request.
     */
    private static final int HEADER_CACHE_SIZE = 0;
    /**
     * One selector (I/O thread) per core, where Jetty's default is one per two: segment GETs are
     * answered on the selector that read them (see {@link Router}), so fewer selectors than
     * cores would leave a core idle under a load of segment requests.
     */
    private static final int SELECTORS = Runtime.getRuntime().availableProcessors();

    private final HttpSettings settings;
    private final Router router;
    private final Server server;
    private final ServerConnector connector;

    public HttpServer(HttpSettings settings, Router router) {
        this.settings = settings;
        this.router = router;
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHeaderCacheSize(HEADER_CACHE_SIZE);
        this.connector = new ServerConnector(server, -1, SELECTORS, new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        CrossOriginHandler cors = new PlaybackCrossOrigin();
        cors.setAllowedOriginPatterns(settings.corsOrigins().equals(List.of("*")) ? Set.of("*")
                : settings.corsOrigins().stream().map(Pattern::quote).collect(Collectors.toSet()));
        cors.setAllowedMethods(Set.of("GET", "HEAD", "OPTIONS"));
        cors.setAllowCredentials(false);
        cors.setAllowedHeaders(Set.of("Content-Type", "Range"));
        cors.setExposedHeaders(Set.of("Retry-After", "Content-Length", "Content-Range", "Accept-Ranges"));
        cors.setPreflightMaxAge(Duration.ofDays(1));
        cors.setHandler(router.handler());
        server.setHandler(cors);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        ServerWebSocketContainer sockets = ServerWebSocketContainer.ensure(server);
        sockets.setIdleTimeout(WEBSOCKET_IDLE_TIMEOUT);
        sockets.setMaxBinaryMessageSize(MAX_WEBSOCKET_MESSAGE);
        sockets.setMaxTextMessageSize(MAX_WEBSOCKET_MESSAGE);
    }

    /** Jetty's CORS handling for playback and IPTV output paths; other paths go straight to the router. */
    private static final class PlaybackCrossOrigin extends CrossOriginHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Access access = Access.of(Request.getPathInContext(request));
            if (access == Access.PLAYBACK || access == Access.OUTPUTS) {
                return super.handle(request, response, callback);
            }
            return getHandler().handle(request, response, callback);
        }
    }

    /** The Jetty server, a life cycle to start and stop. */
    public Server jetty() {
        return server;
    }

    /** The router the server answers with. */
    public Router router() {
        return router;
    }

    /** The port listened on (the chosen one when the setting is 0), once started. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL local clients use, for example {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = settings.bind().equals("0.0.0.0") ? "127.0.0.1" : settings.bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }
}
