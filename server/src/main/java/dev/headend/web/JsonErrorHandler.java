package dev.headend.web;

import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to every error Jetty produces on its own, before or around the router: a URI it
 * refuses (ambiguous path separators, {@code ..} segments, bad encodings), a request line or
 * headers too long (414, 431), a body too large (413). It gets the JSON error shape like every
 * other error. Jetty's own reason text is kept for client errors (it describes the request, not
 * the server); server errors say only that something went wrong.
 */
public final class JsonErrorHandler implements Request.Handler {
    private static final Map<Integer, String> CODES = Map.of(
            400, "bad_request",
            404, "not_found",
            405, "method_not_allowed",
            408, "request_timeout",
            413, "request_too_large",
            414, "uri_too_long",
            415, "unsupported_media_type",
            431, "headers_too_large",
            503, "unavailable");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            message = message == null ? e.getReason() : message;
        }
        if (status < 400) {
            status = 500;
        }
        if (HttpStatus.hasNoBody(status)) {
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
        boolean clientError = status < 500;
        String code = CODES.getOrDefault(status, clientError ? "bad_request" : "internal_error");
        String text = clientError && message != null && !message.isBlank() ? Http.printable(message)
                : clientError ? HttpStatus.getMessage(status) : "unexpected server error; see the server log";
        Http.error(response, callback, new ApiException(status, code, text));
        return true;
    }
}
