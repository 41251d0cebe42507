package dev.headend.pipeline;

/**
 * Where a pipeline process's standard output goes: bytes as they are read, then the end. Called
 * by the process's single reader thread only, never concurrently.
 */
public interface ByteSink {
    /** Bytes read from the process; only {@code data[offset, offset + length)} is valid, and only during the call. */
    void write(byte[] data, int offset, int length);

    /** The process closed its output; nothing follows. */
    void end();
}
