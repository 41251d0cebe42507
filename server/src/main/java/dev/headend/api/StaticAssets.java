package dev.headend.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The dashboard's files, read once from the classpath and served from memory. */
public final class StaticAssets {
    /** A file ready to serve. */
    public record Asset(String contentType, byte[] body) {}

    private static final String HLS_JS = "META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js";
    private final Map<String, Asset> assets = new HashMap<>();

    public StaticAssets() {
        add("/", "web/index.html", "text/html; charset=utf-8");
        add("/web/app.js", "web/app.js", "text/javascript; charset=utf-8");
        add("/web/style.css", "web/style.css", "text/css; charset=utf-8");
        add("/web/player.html", "web/player.html", "text/html; charset=utf-8");
        add("/vendor/hls.min.js", HLS_JS, "text/javascript; charset=utf-8");
    }

    public Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private void add(String path, String resource, String type) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            assets.put(path, new Asset(type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
