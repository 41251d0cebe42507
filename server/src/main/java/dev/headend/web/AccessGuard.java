package dev.headend.web;

import dev.headend.security.FailedAttempts;
import dev.headend.security.PlaybackSigner;
import dev.headend.security.RelayTokens;
import dev.headend.security.Secret;
import dev.headend.time.TimeSource;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Checks a request against its route's {@link Access} before the route runs. Admin routes want
 * {@code Authorization: Bearer <admin token>}: without it 401 {@code unauthorized}, with a
 * wrong one 401 {@code invalid_token} (both with {@code WWW-Authenticate}), and after {@link
 * FailedAttempts#LIMIT} wrong ones from an address 429 {@code too_many_failures} with {@code
 * Retry-After}. Playback routes, when a signer is configured, want a valid, unexpired signature
 * for the channel they name (403 otherwise); IPTV outputs want the output token in their path,
 * {@code /s/{token}/...} (403 otherwise). Relay sockets want a token in {@code ?token=} (browsers
 * cannot set headers on a WebSocket) or as a bearer token: the admin token always opens them;
 * otherwise the publish token of the stream or the watch token when configured (401 {@code
 * token_required} without one, 403 {@code invalid_token} with a wrong one), and when none is
 * configured only loopback clients whose page, if any, is from this server (403 {@code
 * loopback_only}, 403 {@code cross_origin}).
 */
public final class AccessGuard {
    private static final String BEARER = "Bearer ";
    private static final String REALM = "Bearer realm=\"headend\"";

    private final Secret adminToken;
    private final boolean metricsPublic;
    private final Optional<PlaybackSigner> signer;
    private final FailedAttempts failures;
    private final TimeSource time;
    private final RelayTokens relayTokens;

    public AccessGuard(Secret adminToken, boolean metricsPublic, Optional<PlaybackSigner> signer,
            FailedAttempts failures, TimeSource time) {
        this(adminToken, metricsPublic, signer, failures, time, RelayTokens.none());
    }

    public AccessGuard(Secret adminToken, boolean metricsPublic, Optional<PlaybackSigner> signer,
            FailedAttempts failures, TimeSource time, RelayTokens relayTokens) {
        this.relayTokens = relayTokens;
        this.adminToken = adminToken;
        this.metricsPublic = metricsPublic;
        this.signer = signer;
        this.failures = failures;
        this.time = time;
    }

    /** @throws ApiException when the request may not use a route of {@code access} */
    void check(Access access, Exchange ex) {
        switch (access) {
            case ADMIN -> admin(ex);
            case METRICS -> {
                if (!metricsPublic) {
                    admin(ex);
                }
            }
            case PLAYBACK -> signer.ifPresent(s -> playback(s, ex));
            case OUTPUTS -> signer.ifPresent(s -> outputs(s, ex));
            case RELAY -> relay(ex);
            case OPEN -> { }
        }
    }

    private void relay(Exchange ex) {
        String address = ex.remoteAddress();
        blockedCheck(address);
        Optional<String> token = ex.query("token").or(() -> ex.header(HttpHeader.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(h -> h.substring(BEARER.length()).strip()));
        if (token.isPresent() && adminToken.matches(token.get())) {
            failures.succeeded(address);
            return;
        }
        boolean publish = Request.getPathInContext(ex.request()).startsWith("/ws/publish/");
        boolean configured = publish ? relayTokens.publishConfigured() : relayTokens.watchConfigured();
        if (!configured) {
            if (token.isPresent()) {
                failures.failed(address);
                throw new ApiException(403, "invalid_token", "the token is not this server's admin token, and no"
                        + (publish ? " relay_publish_secret" : " relay_watch_token") + " is configured");
            }
            if (!loopback(ex)) {
                throw new ApiException(403, "loopback_only", "no relay token is configured: only clients on this"
                        + " machine may " + (publish ? "publish" : "watch") + " (set "
                        + (publish ? "relay_publish_secret" : "relay_watch_token") + " to open it to others)");
            }
            if (!sameOrigin(ex)) {
                throw new ApiException(403, "cross_origin", "a page from another site may not use the relay");
            }
            return;
        }
        if (token.isEmpty()) {
            throw new ApiException(401, "token_required", "this relay socket needs a token: add ?token=<"
                    + (publish ? "the stream's publish token" : "watch token") + ">");
        }
        boolean opens = publish ? relayTokens.opensPublish(ex.param("id"), token.get())
                : relayTokens.opensWatch(token.get());
        if (!opens) {
            failures.failed(address);
            throw new ApiException(403, "invalid_token", publish ? "the token does not open stream "
                    + ex.param("id") + " for publishing" : "the watch token is wrong");
        }
        failures.succeeded(address);
    }

    private static boolean loopback(Exchange ex) {
        return ex.request().getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /** No {@code Origin} (not a browser page), or one naming the host and port the request was sent to. */
    private static boolean sameOrigin(Exchange ex) {
        Optional<String> origin = ex.header(HttpHeader.ORIGIN);
        if (origin.isEmpty()) {
            return true;
        }
        try {
            URI uri = URI.create(origin.get());
            String host = ex.header(HttpHeader.HOST).orElse("");
            return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void blockedCheck(String address) {
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, blocked.get().toSeconds() + 1);
            throw new ApiException(429, "too_many_failures", "too many requests with a wrong token from "
                    + address + "; try again in " + seconds + " s", (int) seconds);
        }
    }

    private void admin(Exchange ex) {
        String address = ex.remoteAddress();
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, blocked.get().toSeconds() + 1);
            throw new ApiException(429, "too_many_failures", "too many requests with a wrong admin token from "
                    + address + "; try again in " + seconds + " s", (int) seconds);
        }
        Optional<String> header = ex.header(HttpHeader.AUTHORIZATION);
        if (header.isEmpty() || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            ex.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM);
            throw new ApiException(401, "unauthorized", "this route needs the admin token:"
                    + " send 'Authorization: Bearer <token>' (the token is printed at first start and kept in"
                    + " data_dir/admin-token unless admin_token is set)");
        }
        if (!adminToken.matches(header.get().substring(BEARER.length()).strip())) {
            failures.failed(address);
            ex.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
            throw new ApiException(401, "invalid_token", "the admin token is wrong");
        }
        failures.succeeded(address);
    }

    private static void outputs(PlaybackSigner s, Exchange ex) {
        Optional<String> token = ex.optionalParam("token");
        if (token.isEmpty()) {
            throw new ApiException(403, "signature_required", "playback of this server is protected: use the"
                    + " IPTV URLs with the token in their path (GET /api/iptv lists them)");
        }
        if (!s.opensOutputs(token.get())) {
            throw new ApiException(403, "invalid_signature", "the token in the path is not this server's");
        }
    }

    private void playback(PlaybackSigner s, Exchange ex) {
        String channel = ex.param("id");
        PlaybackSigner.Refusal refusal = s.check(channel, ex.query(PlaybackSigner.EXPIRES).orElse(null),
                ex.query(PlaybackSigner.SIGNATURE).orElse(null), time.wallClock());
        if (refusal == null) {
            return;
        }
        throw switch (refusal) {
            case MISSING -> new ApiException(403, "signature_required", "playback of this server needs a signed URL;"
                    + " ask an operator for one (POST /api/channels/{id}/signed-url)");
            case MALFORMED, INVALID -> new ApiException(403, "invalid_signature",
                    "the URL's signature does not open channel " + channel);
            case EXPIRED -> new ApiException(403, "signature_expired", "the signed URL has expired; ask for a new one");
        };
    }
}
