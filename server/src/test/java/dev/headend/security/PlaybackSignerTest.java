package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaybackSignerTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private final PlaybackSigner signer = new PlaybackSigner(Secret.of("playback-secret-0123"));

    @Test
    void aSignatureOpensItsChannelUntilItExpires() {
        String query = signer.query("news", NOW.plusSeconds(60));
        String exp = value(query, "exp");
        String sig = value(query, "sig");

        assertThat(exp).isEqualTo(Long.toString(NOW.getEpochSecond() + 60));
        assertThat(sig).matches("[A-Za-z0-9_-]{43}");
        assertThat(signer.check("news", exp, sig, NOW)).isNull();
        assertThat(signer.check("news", exp, sig, NOW.plusSeconds(59))).isNull();
        assertThat(signer.check("news", exp, sig, NOW.plusSeconds(60))).isEqualTo(PlaybackSigner.Refusal.EXPIRED);
        assertThat(signer.check("sport", exp, sig, NOW)).as("another channel").isEqualTo(PlaybackSigner.Refusal.INVALID);
    }

    @Test
    void missingMalformedOrAlteredSignaturesAreRefused() {
        String query = signer.query("news", NOW.plusSeconds(60));
        String exp = value(query, "exp");
        String sig = value(query, "sig");

        assertThat(signer.check("news", null, sig, NOW)).isEqualTo(PlaybackSigner.Refusal.MISSING);
        assertThat(signer.check("news", exp, null, NOW)).isEqualTo(PlaybackSigner.Refusal.MISSING);
        assertThat(signer.check("news", "-1", sig, NOW)).isEqualTo(PlaybackSigner.Refusal.MALFORMED);
        assertThat(signer.check("news", "99999999999999999999", sig, NOW)).isEqualTo(PlaybackSigner.Refusal.MALFORMED);
        assertThat(signer.check("news", Long.toString(Long.parseLong(exp) + 3600), sig, NOW))
                .as("a later expiry with the old signature").isEqualTo(PlaybackSigner.Refusal.INVALID);
        assertThat(signer.check("news", exp, sig.substring(1) + "A", NOW)).isEqualTo(PlaybackSigner.Refusal.INVALID);
        assertThat(new PlaybackSigner(Secret.of("another-secret-0123")).check("news", exp, sig, NOW))
                .as("a signature made with another secret").isEqualTo(PlaybackSigner.Refusal.INVALID);
    }

    private static String value(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in " + query);
    }

    @Test
    void theOutputTokenIsTheSecretsOwnAndOpensNothingElse() {
        String token = signer.outputToken();
        PlaybackSigner other = new PlaybackSigner(Secret.of("another-secret-0123"));

        assertThat(token).matches("[A-Za-z0-9_-]{43}").isEqualTo(new PlaybackSigner(Secret.of("playback-secret-0123"))
                .outputToken());
        assertThat(signer.opensOutputs(token)).isTrue();
        assertThat(other.opensOutputs(token)).as("another secret").isFalse();
        assertThat(signer.opensOutputs(null)).isFalse();
        assertThat(signer.opensOutputs(token.substring(1))).isFalse();
        assertThat(signer.opensOutputs(token + "A")).isFalse();
        assertThat(signer.opensOutputs(token.substring(0, 42) + "é")).isFalse();
        String exp = value(signer.query("news", NOW.plusSeconds(60)), "exp");
        assertThat(signer.check("news", exp, token, NOW)).as("the token is no channel signature")
                .isEqualTo(PlaybackSigner.Refusal.INVALID);
    }
}
