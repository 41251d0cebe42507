package dev.headend.stream;

/** A stream that cannot deliver: it failed to start, or its first segment did not come in time. */
public final class StreamUnavailableException extends Exception {
    private final String code;

    public StreamUnavailableException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Machine-readable reason: {@code source_failed}, {@code start_timeout}, {@code stream_stopped}. */
    public String code() {
        return code;
    }
}
