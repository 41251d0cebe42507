/**
 * HTTP, and only HTTP: the Jetty server on virtual threads, the router built from the route
 * groups that feature packages contribute (Jetty's {@code PathMappingsHandler} with one path
 * spec per route path), JSON bodies and the JSON error shape {@code {"error": {"code",
 * "message"}}} for every response, Jetty's own error responses included, CORS through Jetty's
 * {@code CrossOriginHandler}, byte ranges, and the dashboard's static files. It knows nothing of
 * streams or channels: {@link dev.headend.web.api} and {@link dev.headend.web.live} do.
 */
package dev.headend.web;
