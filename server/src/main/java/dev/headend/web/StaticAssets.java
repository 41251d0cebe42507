package dev.headend.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The dashboard's files and the relay's two pages (publish, watch), read once from the classpath and served from memory, each on its own route. */
public final class StaticAssets implements RouteGroup {
    private static final String HLS_JS = "META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private final List<Route> routes = new ArrayList<>();

    public StaticAssets() {
        add("/", "web/index.html", HTML);
        add("/web/app.js", "web/app.js", JS);
        add("/web/channels.js", "web/channels.js", JS);
        add("/web/style.css", "web/style.css", "text/css; charset=utf-8");
        add("/web/player.html", "web/player.html", HTML);
        add("/web/publish.html", "web/publish.html", HTML);
        add("/web/watch.html", "web/watch.html", HTML);
        add("/web/settings.html", "web/settings.html", HTML);
        add("/web/settings.js", "web/settings.js", JS);
        add("/vendor/hls.min.js", HLS_JS, JS);
    }

    @Override
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(String path, String resource, String type) {
        byte[] body;
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        routes.add(Route.get(path, ex -> ex.text(200, type, "no-cache", body)));
    }
}
