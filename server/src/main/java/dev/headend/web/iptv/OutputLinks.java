package dev.headend.web.iptv;

import dev.headend.security.PlaybackSigner;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteHandler;
import dev.headend.web.live.PlaybackLinks;
import java.util.List;
import java.util.Optional;

/**
 * Where the IPTV outputs live. Without {@code playback_secret} they are at the root ({@code
 * /playlist.m3u}); with it, only under {@code /s/{token}/} with the signer's output token (the
 * {@link dev.headend.web.AccessGuard} checks it), and every URL they hand out keeps that prefix,
 * continuous-TS URLs included ({@code /s/{token}/live/{id}.ts}), so a client that drops query
 * strings still plays. HLS URLs are the channel's {@linkplain PlaybackLinks playback links}
 * (signed with an expiry when protected): HLS players keep query strings.
 */
public final class OutputLinks {
    private static final String TOKEN_PREFIX = "/s/{token}";

    private final Optional<PlaybackSigner> signer;
    private final PlaybackLinks playback;

    public OutputLinks(Optional<PlaybackSigner> signer, PlaybackLinks playback) {
        this.signer = signer;
        this.playback = playback;
    }

    /** GET {@code path} at the root and {@linkplain #underToken under the token}. */
    List<Route> routes(String path, RouteHandler handler) {
        return List.of(Route.get(path, handler), underToken(path, handler));
    }

    /** GET {@code path} under {@code /s/{token}}: 404 while playback is open, as nothing needs it. */
    Route underToken(String path, RouteHandler handler) {
        return Route.get(TOKEN_PREFIX + path, ex -> {
            if (signer.isEmpty()) {
                throw new ApiException(404, "not_found", "playback is not protected on this server: use "
                        + path + " without /s/{token}");
            }
            handler.handle(ex);
        });
    }

    /** The base of the outputs' URLs for this request: the server's, plus {@code /s/{token}} when protected. */
    String base(Exchange ex) {
        return base(ex.baseUrl());
    }

    /** The base of the outputs' URLs under {@code baseUrl}. */
    String base(String baseUrl) {
        return signer.map(s -> baseUrl + "/s/" + s.outputToken()).orElse(baseUrl);
    }

    /** True when the outputs need the token in their path. */
    boolean protectedOutputs() {
        return signer.isPresent();
    }

    /** The continuous-TS URL of a channel, without a query string. */
    String tsUrl(String outputBase, String channelId) {
        return outputBase + "/live/" + channelId + ".ts";
    }

    /** The HLS playlist URL of a channel (signed with an expiry when protected). */
    String hlsUrl(String baseUrl, String channelId) {
        return playback.of(baseUrl, channelId).playlistUrl();
    }
}
