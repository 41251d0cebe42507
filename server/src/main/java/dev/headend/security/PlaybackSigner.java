package dev.headend.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs and checks playback URLs when {@code playback_secret} is set. A signature is
 * HMAC-SHA256 over the channel id and the expiry (Unix seconds), so it opens one channel, and
 * only until it expires; it is carried as {@code exp} and {@code sig} query parameters. Expiry is
 * a date shared with clients, hence on the wall clock.
 *
 * <p>TV apps and media servers mangle query strings and keep URLs for months, so the IPTV
 * outputs (playlist, guide, tuner) carry instead an {@linkplain #outputToken() output token} in
 * their path: a MAC of a fixed label under the same key, so it opens every channel, never
 * expires, and is revoked by changing {@code playback_secret}. Thread-safe.
 */
public final class PlaybackSigner {
    /** The query parameter holding the expiry, in Unix seconds. */
    public static final String EXPIRES = "exp";
    /** The query parameter holding the signature, base64url. */
    public static final String SIGNATURE = "sig";

    /** Why a request's signature was refused. */
    public enum Refusal {
        MISSING, MALFORMED, EXPIRED, INVALID
    }

    private final Hmac hmac;

    public PlaybackSigner(Secret secret) {
        this.hmac = new Hmac(secret.reveal().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code exp=...&sig=...} opening {@code channelId} until {@code expires}. */
    public String query(String channelId, Instant expires) {
        long exp = expires.getEpochSecond();
        return EXPIRES + "=" + exp + "&" + SIGNATURE + "=" + sign(channelId, exp);
    }

    /**
     * Checks a request's {@code exp} and {@code sig} for {@code channelId} at {@code now}.
     *
     * @return null when they open the channel, else why not
     */
    public Refusal check(String channelId, String exp, String sig, Instant now) {
        if (exp == null || sig == null) {
            return Refusal.MISSING;
        }
        if (exp.isEmpty() || exp.length() > 12 || !exp.chars().allMatch(Character::isDigit) || sig.length() > 64) {
            return Refusal.MALFORMED;
        }
        long expires = Long.parseLong(exp);
        byte[] expected = sign(channelId, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return Refusal.INVALID;
        }
        return now.getEpochSecond() >= expires ? Refusal.EXPIRED : null;
    }

    /** The token that IPTV output paths carry ({@code /s/{token}/...}): 43 base64url characters. */
    public String outputToken() {
        return mac("headend-outputs-v1");
    }

    /** True when {@code token} is the {@linkplain #outputToken() output token} (compared in constant time). */
    public boolean opensOutputs(String token) {
        return token != null && MessageDigest.isEqual(outputToken().getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String channelId, long expires) {
        return mac("headend-playback-v1\n" + channelId + "\n" + expires);
    }

    private String mac(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.of(text.getBytes(StandardCharsets.UTF_8)));
    }
}
