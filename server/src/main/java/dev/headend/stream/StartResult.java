package dev.headend.stream;

/** The outcome of a start call: the stream, and whether it was already up. */
public record StartResult(LiveStream stream, boolean alreadyRunning) {}
