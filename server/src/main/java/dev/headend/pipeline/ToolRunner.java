package dev.headend.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs a short-lived tool (an FFmpeg encode of a slate clip, an ffprobe, a version check) to
 * completion. The {@link ProcessPool} is the implementation: every tool run is counted, marked
 * and reaped like a pipeline process.
 */
@FunctionalInterface
public interface ToolRunner {

    /** Consumes the tool's standard output until its end. */
    @FunctionalInterface
    interface Output {
        void read(InputStream stdout) throws IOException;

        /** Reads and discards everything. */
        Output DISCARD = stdout -> stdout.transferTo(OutputStream.nullOutputStream());
    }

    /**
     * Runs the tool and returns once it has exited successfully and been reaped.
     *
     * @throws IOException when the tool cannot be started or was refused by a guard, exits with
     *     a non-zero status (its first error line is in the message) or outlives its time limit
     */
    void run(ProcessSpec spec, Output output) throws IOException, InterruptedException;
}
