package dev.headend.stream;

/**
 * Hears every {@link StreamChange}, in the order it happened for each stream. Called under the
 * stream's lock: an implementation must return at once (queue the change) and never call back
 * into the stream.
 */
@FunctionalInterface
public interface StreamListener {
    void changed(StreamChange change);

    /** Hears nothing. */
    StreamListener NONE = change -> { };
}
