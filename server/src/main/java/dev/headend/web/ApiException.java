package dev.headend.web;

import java.util.Map;

/**
 * An expected failure answered with a JSON error body: {@code {"error": {"code", "message"}}},
 * plus, for some codes, fields that detail it (each invalid setting, say).
 *
 * @see Http#error
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final int retryAfterSeconds;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param details more fields of the error object, after {@code code} and {@code message} */
    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = 0;
        this.details = Map.copyOf(details);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when positive */
    public ApiException(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.details = Map.of();
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> details() {
        return details;
    }
}
