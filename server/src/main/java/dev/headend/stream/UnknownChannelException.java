package dev.headend.stream;

/** No channel has the requested id. */
public final class UnknownChannelException extends Exception {
    public UnknownChannelException(String id) {
        super("no channel with id '" + id + "'");
    }
}
