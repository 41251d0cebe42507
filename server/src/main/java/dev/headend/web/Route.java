package dev.headend.web;

import java.util.Locale;
import java.util.Objects;

/**
 * One method on one path template. A template is a path whose segments may hold {@code {name}}
 * parameters, alone or followed by a literal suffix ({@code /live/{id}/{sequence}.ts}); a
 * parameter matches any characters other than {@code /}, none included, so that an empty one
 * reaches the handler and is refused with a reason.
 *
 * @param method {@code GET}, {@code POST}, ...; a GET route also answers HEAD (same headers, no body)
 * @param threading where the handler runs (see {@link Threading})
 */
public record Route(String method, String template, RouteHandler handler, Threading threading) {
    /** Where a route's handler runs. */
    public enum Threading {
        /** On a virtual thread of its own: the handler may wait, read a body, touch the store. */
        BLOCKING,
        /**
         * On the I/O thread that read the request, with no hand-over to another thread: for the
         * hottest small routes only. The handler must never block: no waiting, no file or store
         * access, only in-memory work under brief locks and the response's asynchronous write.
         */
        NON_BLOCKING
    }

    /** A route that may block (see {@link Threading#BLOCKING}). */
    public Route(String method, String template, RouteHandler handler) {
        this(method, template, handler, Threading.BLOCKING);
    }

    public Route {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(threading, "threading");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with /: " + template);
        }
    }

    public static Route get(String template, RouteHandler handler) {
        return new Route("GET", template, handler, Threading.BLOCKING);
    }

    /** A GET route whose handler never blocks (see {@link Threading#NON_BLOCKING}). */
    public static Route nonBlockingGet(String template, RouteHandler handler) {
        return new Route("GET", template, handler, Threading.NON_BLOCKING);
    }

    public static Route post(String template, RouteHandler handler) {
        return new Route("POST", template, handler, Threading.BLOCKING);
    }

    public static Route put(String template, RouteHandler handler) {
        return new Route("PUT", template, handler, Threading.BLOCKING);
    }

    public static Route delete(String template, RouteHandler handler) {
        return new Route("DELETE", template, handler, Threading.BLOCKING);
    }
}
