package dev.headend.web;

/**
 * An expected failure answered with a JSON error body: {@code {"error": {"code", "message"}}}.
 *
 * @see Http#error
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when positive */
    public ApiException(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
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
}
