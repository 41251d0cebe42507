package dev.headend.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 description of every route, kept by hand in
 * the resource {@value #RESOURCE} (YAML, easier to read and edit than JSON) and served as JSON,
 * converted once, at the first request (not at start-up, where reading 75 operations' YAML took a
 * twentieth of a second). {@code OpenApiIT} fails when a registered route is
 * missing from it or it names one that does not exist.
 */
public final class OpenApiDocument implements RouteGroup {
    /** The document's classpath resource. */
    public static final String RESOURCE = "openapi.yaml";

    /** The document as JSON, made when the holder class is first used. */
    private static final class Served {
        static final byte[] JSON = toJson(read());
    }

    /** The document as a tree. */
    public static JsonNode read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static byte[] toJson(JsonNode document) {
        try {
            return Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/openapi.json", ex -> ex.text(200, "application/json", "no-cache", Served.JSON)));
    }
}
