package dev.headend.api;

import dev.headend.delivery.ContinuousTsDelivery;
import dev.headend.delivery.HlsDelivery;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every URL to its handler. Handlers run on virtual threads and may block. Expected
 * failures arrive as {@link ApiException} and become JSON errors; anything else is logged and
 * answered with a generic 500 that never carries a stack trace.
 */
public final class Router extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final HlsDelivery hls;
    private final ContinuousTsDelivery ts;
    private final StreamsApi streams;
    private final ChannelsApi channels;
    private final SystemApi system;
    private final ConfigApi config;
    private final StaticAssets assets;

    public Router(HlsDelivery hls, ContinuousTsDelivery ts, StreamsApi streams, ChannelsApi channels,
            SystemApi system, ConfigApi config, StaticAssets assets) {
        this.hls = hls;
        this.ts = ts;
        this.streams = streams;
        this.channels = channels;
        this.system = system;
        this.config = config;
        this.assets = assets;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Http.cors(response);
        try {
            route(request, response, callback);
        } catch (ApiException e) {
            Http.error(response, callback, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Http.error(response, callback, new ApiException(503, "shutting_down", "the server is shutting down", 5));
        } catch (Exception e) {
            log.error("unexpected error on {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
            if (!response.isCommitted()) {
                Http.error(response, callback, new ApiException(500, "internal_error",
                        "unexpected server error; see the server log"));
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        if (method.equals("OPTIONS")) {
            response.setStatus(204);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, 86400);
            callback.succeeded();
            return;
        }
        String[] p = path.split("/", -1);
        if (path.startsWith("/live/")) {
            requireMethod(response, method, "GET");
            if (p.length == 4 && p[3].equals("index.m3u8")) {
                hls.playlist(request, response, callback, p[2]);
            } else if (p.length == 4 && p[3].endsWith(".ts")) {
                hls.segment(request, response, callback, p[2], p[3].substring(0, p[3].length() - 3));
            } else if (p.length == 3 && p[2].endsWith(".ts")) {
                ts.serve(request, response, callback, p[2].substring(0, p[2].length() - 3));
            } else {
                throw notFound(path);
            }
        } else if (path.equals("/api/streams")) {
            requireMethod(response, method, "GET");
            streams.list(request, response, callback);
        } else if (path.equals("/api/streams/cleanup")) {
            requireMethod(response, method, "POST");
            streams.cleanup(response, callback);
        } else if (p.length == 4 && path.startsWith("/api/streams/")) {
            requireMethod(response, method, "GET");
            streams.get(request, response, callback, p[3]);
        } else if (p.length == 5 && path.startsWith("/api/streams/")
                && (p[4].equals("start") || p[4].equals("stop") || p[4].equals("restart"))) {
            requireMethod(response, method, "POST");
            switch (p[4]) {
                case "start" -> streams.start(request, response, callback, p[3]);
                case "stop" -> streams.stop(request, response, callback, p[3]);
                default -> streams.restart(request, response, callback, p[3]);
            }
        } else if (p.length == 5 && path.startsWith("/api/channels/") && p[4].equals("health")) {
            requireMethod(response, method, "GET");
            channels.health(response, callback, p[3]);
        } else if (path.equals("/api/channels")) {
            requireMethod(response, method, "GET");
            channels.list(request, response, callback);
        } else if (p.length == 4 && path.startsWith("/api/channels/")) {
            requireMethod(response, method, "GET");
            channels.get(request, response, callback, p[3]);
        } else if (path.equals("/api/system")) {
            requireMethod(response, method, "GET");
            system.system(response, callback);
        } else if (path.equals("/api/config/reload")) {
            requireMethod(response, method, "POST");
            config.reload(response, callback);
        } else if (path.equals("/metrics")) {
            requireMethod(response, method, "GET");
            system.metrics(response, callback);
        } else if (path.equals("/healthz")) {
            requireMethod(response, method, "GET");
            Http.json(response, callback, 200, Map.of("status", "ok"));
        } else {
            requireMethod(response, method, "GET");
            StaticAssets.Asset a = assets.find(path).orElseThrow(() -> notFound(path));
            Http.text(response, callback, 200, a.contentType(), "no-cache", a.body());
        }
    }

    private static void requireMethod(Response response, String method, String allowed) {
        if (!method.equals(allowed)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed + ", OPTIONS");
            throw new ApiException(405, "method_not_allowed", "use " + allowed + " for this URL");
        }
    }

    private static ApiException notFound(String path) {
        String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        return new ApiException(404, "not_found", "no such resource: " + shown.replaceAll("[^ -~]", "?"));
    }
}
