package dev.headend.slate;

/**
 * One slate segment ready to append to a stream: its MPEG-TS bytes (owned by the receiver)
 * and its duration in seconds.
 */
public record SlateSegment(byte[] bytes, double seconds) {}
