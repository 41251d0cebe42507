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
 */
public record Route(String method, String template, RouteHandler handler) {
    public Route {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with /: " + template);
        }
    }

    public static Route get(String template, RouteHandler handler) {
        return new Route("GET", template, handler);
    }

    public static Route post(String template, RouteHandler handler) {
        return new Route("POST", template, handler);
    }

    public static Route put(String template, RouteHandler handler) {
        return new Route("PUT", template, handler);
    }

    public static Route delete(String template, RouteHandler handler) {
        return new Route("DELETE", template, handler);
    }
}
