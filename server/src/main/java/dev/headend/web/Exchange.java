package dev.headend.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request being answered: Jetty's request, response and callback, plus the parameters of
 * the matched path template. A handler completes the exchange exactly once, through one of the
 * answering methods or through the callback when it streams.
 */
public final class Exchange {
    /** The largest request body read. */
    static final int MAX_BODY = 64 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> params;
    private final BaseUrls baseUrls;

    Exchange(Request request, Response response, Callback callback, Map<String, String> params, BaseUrls baseUrls) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.params = params;
        this.baseUrls = baseUrls;
    }

    public Request request() {
        return request;
    }

    public Response response() {
        return response;
    }

    public Callback callback() {
        return callback;
    }

    /** A parameter of the path template; the route's template names it, so it is present. */
    public String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter " + name);
        }
        return value;
    }

    /** A parameter of the path template, empty when the route's template has none of that name. */
    Optional<String> optionalParam(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A query parameter (the first, when repeated). */
    public Optional<String> query(String name) {
        return Optional.ofNullable(Http.query(request, name));
    }

    public Optional<String> header(HttpHeader header) {
        return Optional.ofNullable(request.getHeaders().get(header));
    }

    /**
     * The request body as a JSON object.
     *
     * @throws ApiException 400 {@code invalid_body} when it is not a JSON object, 413 {@code
     *     request_too_large} above {@link #MAX_BODY} bytes
     */
    public JsonNode jsonBody() throws IOException {
        byte[] bytes = body(MAX_BODY);
        JsonNode body;
        try {
            body = bytes.length == 0 ? null : Http.JSON.readTree(bytes);
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid_body", "the request body must be a JSON object");
        }
        return body;
    }

    /**
     * The request body as bytes.
     *
     * @throws ApiException 413 {@code request_too_large} above {@code limit} bytes
     */
    public byte[] body(int limit) throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(limit + 1);
        }
        if (bytes.length > limit) {
            throw new ApiException(413, "request_too_large", "the request body is larger than " + limit + " bytes");
        }
        return bytes;
    }

    /** True for a HEAD request: headers as for GET, no body. */
    public boolean head() {
        return request.getMethod().equals("HEAD");
    }

    /** The base of URLs given to this client: {@code public_url} or the server's own address it used. */
    public String baseUrl() {
        return baseUrls.of(request);
    }

    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    public void json(int status, Object body) {
        Http.json(response, callback, status, body, head());
    }

    public void text(int status, String contentType, String cacheControl, byte[] body) {
        Http.bytes(response, callback, status, contentType, cacheControl, ByteBuffer.wrap(body), head());
    }

    /** An empty answer with {@code status} (a redirect, say; set its headers first). */
    public void empty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        Http.closeIfBodyUnread(response);
        response.write(true, ByteBuffer.allocate(0), callback);
    }
}
