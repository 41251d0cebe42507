package dev.headend.web;

/**
 * Answers one request. Handlers run on virtual threads and may block. An expected failure is
 * thrown as an {@link ApiException} and becomes a JSON error; anything else is logged and
 * answered with a generic 500 that never carries a stack trace.
 */
@FunctionalInterface
public interface RouteHandler {
    void handle(Exchange exchange) throws Exception;
}
