package dev.headend.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Response helpers shared by every route: JSON bodies, JSON errors, CORS, base URLs. */
public final class Http {
    /** The one JSON mapper: snake_case properties. Thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Http() {}

    public static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    public static void error(Response response, Callback callback, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
        }
        json(response, callback, e.status(), Map.of("error", Map.of("code", e.code(), "message", e.getMessage())));
    }

    public static void text(Response response, Callback callback, int status, String contentType, String cache,
            byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Lets browser players and dashboards on other origins use every endpoint. */
    public static void cors(Response response) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Range");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After, Content-Length");
    }

    /** {@code scheme://host:port} as the client addressed the server. */
    public static String baseUrl(Request request) {
        return request.getHttpURI().getScheme() + "://" + request.getHttpURI().getAuthority();
    }

    /** A single query parameter, or null. */
    public static String query(Request request, String name) {
        return Request.extractQueryParameters(request).getValue(name);
    }
}
