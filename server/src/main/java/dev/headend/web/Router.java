package dev.headend.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request to its handler through Jetty's {@link PathMappingsHandler}s: literal
 * paths by an exact lookup, templates with parameters in a second level under the prefix of
 * their first segment ({@code /live/*}, {@code /api/*}), where only the templates sharing it are
 * tried; each path's handler picks the route by method. A path no template matches is 404
 * {@code not_found}; a method the path does not take is 405 {@code method_not_allowed} with
 * {@code Allow}; {@code OPTIONS} answers 204 with {@code Allow}; {@code HEAD} is answered by the
 * GET route without a body. Every other request passes the {@link AccessGuard} for its path's
 * {@link Access} before its route runs, 405s included, so an admin path says nothing to a
 * client without the token.
 *
 * <p>Jetty calls the router on the I/O thread that read the request (the router says it never
 * blocks): a {@link Route.Threading#NON_BLOCKING} route runs there, sparing the hand-over to
 * another thread and back (a segment GET's largest cost after the copy into the socket);
 * every other route, and every refusal before a route, runs on a virtual thread of its own.
 *
 * <p>Invariant: every answer this class gives, including errors and the 500 of an unexpected
 * exception (logged, never shown), has the JSON error shape when it is an error.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** The templates under one prefix: their mappings, and the handler that tries them. */
    private record Branch(PathMappings<PathRoutes> mappings, PathMappingsHandler handler) {
        static Branch create() {
            PathMappingsHandler handler = new PathMappingsHandler.NoContext();
            handler.addMapping(new ServletPathSpec("/"), new NotFound());
            return new Branch(new PathMappings<>(), handler);
        }
    }

    private final List<Endpoint> endpoints;
    private final PathMappings<PathRoutes> literals = new PathMappings<>();
    private final PathMappings<Branch> branches = new PathMappings<>();
    private final PathMappingsHandler handler = new PathMappingsHandler.NoContext();

    /**
     * @param guard checks every request against its path's access before the route runs
     * @param baseUrls the base of URLs the routes give out
     */
    public Router(List<RouteGroup> groups, AccessGuard guard, BaseUrls baseUrls) {
        Map<String, PathRoutes> byTemplate = new LinkedHashMap<>();
        List<Endpoint> all = new ArrayList<>();
        for (RouteGroup group : groups) {
            for (Route route : group.routes()) {
                all.add(new Endpoint(route.method(), route.template()));
                PathRoutes path = byTemplate.computeIfAbsent(route.template(),
                        t -> new PathRoutes(new PathTemplate(t), guard, baseUrls));
                if (path.byMethod.putIfAbsent(route.method(), route) != null) {
                    throw new IllegalArgumentException("two routes for " + route.method() + " " + route.template());
                }
            }
        }
        this.endpoints = List.copyOf(all);
        Map<String, Branch> byPrefix = new LinkedHashMap<>();
        for (PathRoutes path : byTemplate.values()) {
            if (path.template.literal()) {
                literals.put(path.template.spec(), path);
                handler.addMapping(path.template.spec(), path);
            } else {
                Branch branch = byPrefix.computeIfAbsent(path.template.prefix(), p -> Branch.create());
                branch.mappings().put(path.template.spec(), path);
                branch.handler().addMapping(path.template.spec(), path);
            }
        }
        byPrefix.forEach((prefix, branch) -> {
            branches.put(new ServletPathSpec(prefix), branch);
            handler.addMapping(new ServletPathSpec(prefix), branch.handler());
        });
        handler.addMapping(new ServletPathSpec("/"), new NotFound());
    }

    /**
     * The Jetty handler to install. It tells Jetty it never blocks, so Jetty calls it on the I/O
     * thread; that holds because every route that may block is handed to a virtual thread.
     */
    public Handler handler() {
        return new Handler.Wrapper(handler) {
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
    }

    /** One registered route: its method (a GET route also answers HEAD) and path template. */
    public record Endpoint(String method, String template) {}

    /** Every registered route, in the order the groups gave them (for the OpenAPI document's test). */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** A route matched without a socket: its template and parameters, for routing tests. */
    public record Match(String template, Map<String, String> params, List<String> methods) {}

    /** The template that answers {@code path}, if any, as Jetty's path mappings choose it. */
    public Optional<Match> match(String path) {
        MatchedResource<PathRoutes> matched = literals.getMatched(path);
        if (matched == null) {
            MatchedResource<Branch> branch = branches.getMatched(path);
            matched = branch == null ? null : branch.getResource().mappings().getMatched(path);
        }
        if (matched == null) {
            return Optional.empty();
        }
        PathRoutes routes = matched.getResource();
        return routes.template.match(path)
                .map(params -> new Match(routes.template.template(), params, routes.allowed()));
    }

    /** The routes of one path template, by method. */
    private static final class PathRoutes extends Handler.Abstract {
        private final PathTemplate template;
        private final Access access;
        private final AccessGuard guard;
        private final BaseUrls baseUrls;
        private final Map<String, Route> byMethod = new LinkedHashMap<>();

        PathRoutes(PathTemplate template, AccessGuard guard, BaseUrls baseUrls) {
            this.template = template;
            this.access = Access.of(template.template());
            this.guard = guard;
            this.baseUrls = baseUrls;
        }

        List<String> allowed() {
            TreeSet<String> methods = new TreeSet<>(byMethod.keySet());
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            return List.copyOf(methods);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            Optional<Map<String, String>> params = template.match(path);
            if (params.isEmpty()) {
                return false;
            }
            String method = request.getMethod();
            Route route = byMethod.get(method.equals("HEAD") ? "GET" : method);
            if (method.equals("OPTIONS") && route == null) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed()));
                response.setStatus(204);
                Http.closeIfBodyUnread(response);
                callback.succeeded();
                return true;
            }
            Exchange exchange = new Exchange(request, response, callback, params.get(), baseUrls);
            RouteHandler guarded = ex -> {
                guard.check(access, ex);
                if (route == null) {
                    ex.response().getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed()));
                    throw new ApiException(405, "method_not_allowed",
                            "use " + String.join(" or ", byMethod.keySet()) + " for " + Http.printable(path));
                }
                route.handler().handle(ex);
            };
            if (route != null && route.threading() == Route.Threading.NON_BLOCKING) {
                run(guarded, exchange);
            } else {
                Thread.ofVirtual().name("http-route").start(() -> run(guarded, exchange));
            }
            return true;
        }
    }

    /** Runs a route, turning its failures into JSON errors. */
    private static void run(RouteHandler route, Exchange exchange) {
        try {
            route.handle(exchange);
        } catch (ApiException e) {
            answer(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(exchange, new ApiException(503, "shutting_down", "the server is shutting down", 5));
        } catch (Exception e) {
            if (e instanceof HttpException bad && bad.getCode() < 500) {
                // Jetty parses query parameters and bodies lazily: a bad encoding shows up here
                answer(exchange, new ApiException(bad.getCode(), "bad_request",
                        Http.printable(bad.getReason() == null ? "malformed request" : bad.getReason())));
                return;
            }
            Request request = exchange.request();
            log.error("unexpected error on {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
            answer(exchange, new ApiException(500, "internal_error", "unexpected server error; see the server log"));
        }
    }

    private static void answer(Exchange exchange, ApiException e) {
        if (exchange.response().isCommitted()) {
            exchange.callback().failed(e);
        } else {
            Http.error(exchange.response(), exchange.callback(), e);
        }
    }

    /** Every path no template matches. */
    private static final class NotFound extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (request.getMethod().equals("OPTIONS")) {
                response.setStatus(204);
                response.getHeaders().put(HttpHeader.ALLOW, "OPTIONS");
                Http.closeIfBodyUnread(response);
                callback.succeeded();
                return true;
            }
            Http.error(response, callback, new ApiException(404, "not_found", "no such resource: "
                    + Http.printable(path)));
            return true;
        }
    }
}
