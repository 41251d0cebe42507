package dev.headend.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.headend.security.Secrets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/** Response helpers shared by every route: JSON bodies, JSON errors, query parameters. */
public final class Http {
    /**
     * The one JSON mapper: snake_case properties, instants as ISO-8601 text like every date in the
     * API. Thread-safe once configured.
     */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance));

    private Http() {}

    /** Writes {@code body} as JSON; for HEAD ({@code headOnly}) the headers only. */
    public static void json(Response response, Callback callback, int status, Object body, boolean headOnly) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
        bytes(response, callback, status, "application/json", "no-store", ByteBuffer.wrap(bytes), headOnly);
    }

    /** Writes a body whose length is known; for HEAD ({@code headOnly}) the headers only. */
    public static void bytes(Response response, Callback callback, int status, String contentType, String cache,
            ByteBuffer body, boolean headOnly) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        closeIfBodyUnread(response);
        response.write(true, headOnly ? ByteBuffer.allocate(0) : body, callback);
    }

    /**
     * Says {@code Connection: close} when the request's body has not all arrived by the time it
     * is answered (a refusal before the route reads it, a route that ignores it). Jetty closes
     * such a connection after the answer, and a client not told so sends its next request on a
     * closed connection and gets nothing back. Call before the answer is committed.
     */
    public static void closeIfBodyUnread(Response response) {
        Request request = response.getRequest();
        boolean hasBody = request.getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                ? request.getLength() > 0
                : request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (hasBody && !request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /** Writes the JSON error of {@code e}, with {@code Retry-After} when it has one; its message is masked. */
    public static void error(Response response, Callback callback, ApiException e) {
        if (e.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", Secrets.mask(e.getMessage()));
        error.putAll(e.details());
        json(response, callback, e.status(), Map.of("error", error), false);
    }

    /** A single query parameter (the first, when repeated), or null; see {@link #queryParameters}. */
    public static String query(Request request, String name) {
        return queryParameters(request.getHttpURI().getQuery()).getValue(name);
    }

    /**
     * The parameters of a raw (still percent-encoded) query string, null or empty for none; a
     * {@code +} is a space.
     *
     * @throws ApiException 400 {@code bad_request} when it is not percent-encoded UTF-8
     */
    static Fields queryParameters(String rawQuery) {
        Fields fields = new Fields(true);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return fields;
        }
        try {
            UrlEncoded.decodeUtf8To(rawQuery, fields);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_request", "the query string is not percent-encoded UTF-8: "
                    + printable(rawQuery));
        }
        return fields;
    }

    /** Text safe to put in a message: printable ASCII only, at most 100 characters. */
    public static String printable(String text) {
        String clean = text.replaceAll("[^ -~]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
