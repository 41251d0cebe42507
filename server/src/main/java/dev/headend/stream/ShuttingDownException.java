package dev.headend.stream;

/** The server is shutting down: no stream starts any more. */
public final class ShuttingDownException extends Exception {
    public ShuttingDownException() {
        super("the server is shutting down");
    }
}
