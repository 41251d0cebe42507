package dev.headend.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * What a process reads on its standard input, written by a thread of its own. Only pipelines of
 * {@code push:} sources have one: for them stdin is the media (pushed images), not a terminal,
 * so the rule that children get {@code /dev/null} gives way to a pipe that only this feed writes.
 */
@FunctionalInterface
public interface StdinFeed {
    /**
     * Writes to {@code stdin} until the process is no longer alive (or a write fails because it
     * ended); must return soon after {@code alive} turns false, even when nothing is written.
     */
    void run(OutputStream stdin, BooleanSupplier alive) throws IOException;
}
