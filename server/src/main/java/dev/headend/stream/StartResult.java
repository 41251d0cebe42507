package dev.headend.stream;

/** The outcome of a start call: the stream, and whether it was already up. */
public record StartResult(Stream stream, boolean alreadyRunning) {}
