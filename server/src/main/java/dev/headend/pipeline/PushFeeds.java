package dev.headend.pipeline;

/** The feeds of {@code push:} sources: a stream id's frames as a process's standard input. */
@FunctionalInterface
public interface PushFeeds {
    /** No relay: a {@code push:} channel gets nothing on its stdin (and stalls as a silent source does). */
    PushFeeds NONE = streamId -> (stdin, alive) -> { };

    /** A feed of the frames published as {@code streamId}, from now on (and the latest one, when there is one). */
    StdinFeed feed(String streamId);
}
