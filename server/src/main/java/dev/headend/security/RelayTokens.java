package dev.headend.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The tokens of the WebSocket relay. A publish token opens one stream id: it is the HMAC of the
 * id under {@code relay_publish_secret}, so the server keeps no list and an operator hands out
 * one token per camera (the admin API makes it); changing the secret revokes them all. The
 * watch token ({@code relay_watch_token}) opens every stream to viewers. Thread-safe.
 */
public final class RelayTokens {
    private static final byte[] LABEL = "relay-publish:".getBytes(StandardCharsets.US_ASCII);

    private final Optional<Secret> publishSecret;
    private final Optional<Hmac> publish;
    private final Optional<Secret> watch;

    public RelayTokens(Optional<Secret> publishSecret, Optional<Secret> watchToken) {
        this.publishSecret = publishSecret;
        this.publish = publishSecret.map(s -> new Hmac(s.reveal().getBytes(StandardCharsets.UTF_8)));
        this.watch = watchToken;
    }

    /** No relay token at all. */
    public static RelayTokens none() {
        return new RelayTokens(Optional.empty(), Optional.empty());
    }

    /** The publish token of {@code streamId}, empty when no publish secret is configured. */
    public Optional<String> publishToken(String streamId) {
        return publish.map(h -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(h.of(LABEL, streamId.getBytes(StandardCharsets.UTF_8))));
    }

    public boolean publishConfigured() {
        return publish.isPresent();
    }

    public boolean opensPublish(String streamId, String token) {
        return publishToken(streamId).map(t -> MessageDigest.isEqual(t.getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8))).orElse(false);
    }

    public boolean watchConfigured() {
        return watch.isPresent();
    }

    public boolean opensWatch(String token) {
        return watch.map(w -> w.matches(token)).orElse(false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelayTokens other && publishSecret.equals(other.publishSecret) && watch.equals(other.watch);
    }

    @Override
    public int hashCode() {
        return publishSecret.hashCode() * 31 + watch.hashCode();
    }

    @Override
    public String toString() {
        return "RelayTokens[publish=" + publishSecret + ", watch=" + watch + "]";
    }
}
