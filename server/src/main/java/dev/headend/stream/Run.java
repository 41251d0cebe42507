package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.resilience.RestartCause;
import dev.headend.time.Moment;

/**
 * One run: one FFmpeg process of a stream's pipeline, from the decision to start it until its
 * exit. It keeps the channel definition it was built from (a reload may replace the stream's
 * since) and the index, in that definition, of the source it reads. Mutable, but only by its
 * stream's state machine.
 */
final class Run {
    final long id;
    final RunPurpose purpose;
    final Channel channel;
    final int sourceIndex;
    final Moment startedAt;
    /** When its first segment closed; null before. */
    Moment producingSince;
    /** What the restart policy is told if this run ends without being asked to. */
    RestartCause exitCause = RestartCause.CRASH;
    /** The process has been started. */
    boolean spawned;
    /** The process has ended (or could not be started). */
    boolean exited;

    Run(long id, RunPurpose purpose, Channel channel, int sourceIndex, Moment startedAt) {
        this.id = id;
        this.purpose = purpose;
        this.channel = channel;
        this.sourceIndex = sourceIndex;
        this.startedAt = startedAt;
    }

    Source source() {
        return channel.sources().get(sourceIndex);
    }

    /** Its process runs: started and not yet ended. */
    boolean alive() {
        return spawned && !exited;
    }
}
