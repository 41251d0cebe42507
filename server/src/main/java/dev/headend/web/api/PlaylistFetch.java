package dev.headend.web.api;

import dev.headend.security.Secrets;
import dev.headend.web.ApiException;
import dev.headend.web.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a playlist for an import, for the operator who gives its URL: {@code http} or
 * {@code https} only, redirects followed (at most {@link #MAX_REDIRECTS}) only to {@code http}
 * or {@code https}, at most {@code limit} bytes, all within {@code time}. Any address the server
 * reaches is allowed, loopback included (the route is the admin's).
 *
 * <p>Invariant: a URL appears in a message only masked.
 */
final class PlaylistFetch {
    private static final Logger log = LoggerFactory.getLogger(PlaylistFetch.class);
    static final int MAX_REDIRECTS = 5;
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final int limit;
    private final Duration time;

    PlaylistFetch(int limit, Duration time) {
        this.limit = limit;
        this.time = time;
    }

    /**
     * The body of the playlist at {@code url}.
     *
     * @throws ApiException 400 {@code invalid_url} when it is not an http(s) URL; 502 {@code
     *     fetch_failed} when it cannot be fetched (unreachable, not 200, a redirect elsewhere than
     *     http(s), too many redirects, larger than the limit, too slow)
     */
    byte[] fetch(String url) {
        URI uri = httpUri(url).orElseThrow(() -> new ApiException(400, "invalid_url", "url must be an http:// or"
                + " https:// URL with a host, got '" + Http.printable(Secrets.mask(url)) + "'"));
        log.info("channel import: fetching the playlist at {}", Secrets.mask(uri.toString()));
        AtomicReference<InputStream> body = new AtomicReference<>();
        CompletableFuture<byte[]> fetched = new CompletableFuture<>();
        Thread.ofVirtual().name("playlist-fetch").start(() -> {
            try {
                fetched.complete(follow(uri, body));
            } catch (Throwable e) {
                fetched.completeExceptionally(e);
            }
        });
        try {
            return fetched.get(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close(body.get());
            throw failed(uri, "it took longer than " + time.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(body.get());
            throw failed(uri, "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw failed(uri, e.getCause() instanceof IOException io ? describe(io) : "it could not be read");
        }
    }

    private byte[] follow(URI first, AtomicReference<InputStream> body) throws IOException, InterruptedException {
        URI uri = first;
        for (int hop = 0; ; hop++) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(time).header("Accept",
                    "audio/x-mpegurl, application/vnd.apple.mpegurl, text/plain;q=0.5, */*;q=0.1").GET().build();
            HttpResponse<InputStream> r = Client.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body.set(r.body());
            int status = r.statusCode();
            if (status / 100 == 3 && r.headers().firstValue("Location").isPresent()) {
                close(r.body());
                if (hop == MAX_REDIRECTS) {
                    throw failed(first, "it redirected more than " + MAX_REDIRECTS + " times");
                }
                String location = r.headers().firstValue("Location").orElseThrow();
                URI next = resolve(uri, location).flatMap(u -> httpUri(u.toString())).orElseThrow(() -> failed(first,
                        "it redirected to '" + Http.printable(Secrets.mask(location)) + "', which is not an http://"
                        + " or https:// URL"));
                uri = next;
                continue;
            }
            try (InputStream in = r.body()) {
                if (status != 200) {
                    throw failed(first, "the answer was HTTP " + status);
                }
                byte[] bytes = in.readNBytes(limit + 1);
                if (bytes.length > limit) {
                    throw failed(first, "it is larger than " + limit + " bytes");
                }
                return bytes;
            }
        }
    }

    private static Optional<URI> resolve(URI base, String location) {
        try {
            return Optional.of(base.resolve(new URI(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code url} when it is an absolute http(s) URL with a host. */
    private static Optional<URI> httpUri(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null || e.getMessage().isBlank() ? name : name + ": " + e.getMessage();
    }

    private static ApiException failed(URI uri, String why) {
        return new ApiException(502, "fetch_failed", "the playlist at " + Secrets.mask(uri.toString())
                + " could not be fetched: " + Http.printable(Secrets.mask(why)) + "; nothing was changed");
    }

    private static void close(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // the fetch is abandoned: a failure to close it changes nothing
        }
    }

    /**
     * The client imports fetch with, made at the first fetch (the holder class is initialised
     * then), not at start-up: an HTTP client sets up TLS and reads the trust store.
     */
    private static final class Client {
        static final HttpClient HTTP = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT)
                .build();
    }
}
