package dev.headend.web.live;

import dev.headend.security.PlaybackSigner;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where a channel is watched: its playlist and continuous-TS URLs, signed with an expiry when
 * {@code playback_secret} is set (then they open that channel only, until they expire).
 */
public final class PlaybackLinks {
    private final Optional<PlaybackSigner> signer;
    private final Duration lifetime;
    private final TimeSource time;

    /** @param lifetime how long a signed link stays valid unless asked otherwise */
    public PlaybackLinks(Optional<PlaybackSigner> signer, Duration lifetime, TimeSource time) {
        this.signer = signer;
        this.lifetime = lifetime;
        this.time = time;
    }

    /** The URLs of one channel, and when they expire if they are signed. */
    public record Links(String playlistUrl, String tsUrl, Optional<Instant> expiresAt) {}

    /** True when playback needs signed URLs. */
    public boolean signed() {
        return signer.isPresent();
    }

    /** The default lifetime of a signed link. */
    public Duration lifetime() {
        return lifetime;
    }

    /** Links valid for the default lifetime. */
    public Links of(String baseUrl, String channelId) {
        return of(baseUrl, channelId, lifetime);
    }

    /** Links valid for {@code validFor} (rounded up to the second) when signed. */
    public Links of(String baseUrl, String channelId, Duration validFor) {
        String playlist = baseUrl + "/live/" + channelId + "/index.m3u8";
        String ts = baseUrl + "/live/" + channelId + ".ts";
        if (signer.isEmpty()) {
            return new Links(playlist, ts, Optional.empty());
        }
        Instant expires = time.wallClock().plus(validFor).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        String query = "?" + signer.get().query(channelId, expires);
        return new Links(playlist + query, ts + query, Optional.of(expires));
    }
}
