package dev.headend.channel;

/** A channel definition that cannot be used; the message names the channel and what is wrong. */
public final class InvalidChannelException extends RuntimeException {
    public InvalidChannelException(String message) {
        super(message);
    }
}
