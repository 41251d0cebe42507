package dev.headend.relay;

import java.time.Duration;

/** Told of the relay's notable moments (the event bus subscribes here). Called without any relay lock held. */
@FunctionalInterface
public interface RelayListener {
    /** No listener. */
    RelayListener NONE = (streamId, silence) -> { };

    /** A publisher sent no frame for {@code silence} (the stall window); told once per silence. */
    void publisherStalled(String streamId, Duration silence);
}
