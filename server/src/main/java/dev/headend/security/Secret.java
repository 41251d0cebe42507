package dev.headend.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A configured secret (a token, a signing key). Its text is only reachable through {@link
 * #reveal()}; {@code toString} never shows it, so a secret printed by accident (a log line, a
 * settings dump) stays hidden.
 */
public final class Secret {
    /** The fewest characters a configured secret may have. */
    public static final int MIN_LENGTH = 16;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} characters */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("must be at least " + MIN_LENGTH + " characters long");
        }
        return new Secret(value);
    }

    /** The secret's text, for the code that uses it (compares, signs); never to show it. */
    public String reveal() {
        return value;
    }

    /**
     * True when {@code candidate} is this secret. The time taken does not depend on where the
     * two differ nor on their lengths: both are hashed first and the digests compared in
     * constant time.
     */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(value), sha256(candidate));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(sha256(value), sha256(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
