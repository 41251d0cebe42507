package dev.headend.session;

import dev.headend.security.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The HLS session tokens this server issues. A token is 128 random bits (SecureRandom) followed
 * by 128 bits of their HMAC-SHA256 with the channel id, under a 256-bit key drawn when the
 * server starts; base64url without padding, 43 characters.
 *
 * <p>Invariants: a token verifies only for the channel it was issued for, only while the server
 * run that issued it lasts, and only in its one canonical spelling; without the key, making a
 * token that verifies means guessing 128 bits. Issuing stores nothing, so tokens handed out to
 * requests that never come back cost no memory.
 */
final class SessionTokens {
    /** What an issued token looks like. */
    static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int RANDOM_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final Hmac hmac;

    SessionTokens() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        hmac = new Hmac(secret);
    }

    /** A new token for a session on {@code channelId}. */
    String issue(String channelId) {
        byte[] token = new byte[RANDOM_BYTES + MAC_BYTES];
        random.nextBytes(token);
        System.arraycopy(mac(token, channelId), 0, token, RANDOM_BYTES, MAC_BYTES);
        return ENCODER.encodeToString(token);
    }

    /** Whether this server issued {@code token} for {@code channelId}. */
    boolean issued(String token, String channelId) {
        if (!FORMAT.matcher(token).matches()) {
            return false;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        if (!ENCODER.encodeToString(bytes).equals(token)) {
            return false; // the last character's unused bits are set: another spelling of a token
        }
        byte[] expected = Arrays.copyOf(mac(bytes, channelId), MAC_BYTES);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, RANDOM_BYTES, RANDOM_BYTES + MAC_BYTES));
    }

    /** The HMAC of the token's random part and the channel id. */
    private byte[] mac(byte[] token, String channelId) {
        return hmac.of(Arrays.copyOf(token, RANDOM_BYTES), channelId.getBytes(StandardCharsets.UTF_8));
    }
}
