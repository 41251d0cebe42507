package dev.headend.events;

/** A webhook receiver's definition is refused; the message says why (and never holds a secret). */
public final class InvalidWebhookException extends RuntimeException {
    public InvalidWebhookException(String message) {
        super(message, null, false, false);
    }
}
