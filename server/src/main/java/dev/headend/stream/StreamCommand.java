package dev.headend.stream;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.media.Segment;
import dev.headend.time.Moment;

/**
 * What a stream's state machine asks its owner to do after an event. The owner carries them
 * out in the order given; commands that cannot block (slate, schedule, readiness, store) right
 * away, the others (starting and stopping processes) after it has let go of the stream's lock.
 */
sealed interface StreamCommand {

    /** Start run {@code runId}'s process, reading {@code source} of {@code channel}; report back. */
    record Spawn(long runId, Channel channel, Source source) implements StreamCommand {}

    /** SIGKILL run {@code runId}'s process; its exit comes back as a failure. */
    record Kill(long runId) implements StreamCommand {}

    /** Stop run {@code runId}'s process (SIGTERM, then SIGKILL); {@code await}: before going on. */
    record Stop(long runId, boolean await) implements StreamCommand {}

    /** Tell the machine of {@code due} at {@code at}. */
    record Schedule(Moment at, Due due) implements StreamCommand {}

    /** Start filling the playlist with the slate (no run is live). */
    record ShowSlate() implements StreamCommand {}

    /** Stop the slate (a run is live again, or the stream ended). */
    record HideSlate() implements StreamCommand {}

    /** Have the channel's slate ready ahead of need, in the format of {@code reference}. */
    record PrepareSlate(Channel channel, Segment reference) implements StreamCommand {}

    /** The stream has its first segment: waiting viewers may go on. */
    record Ready() implements StreamCommand {}

    /** The stream will never have a first segment: waiting viewers get this error. */
    record Unavailable(String code, String message) implements StreamCommand {}

    /** End the segment store: the playlist gets EXT-X-ENDLIST and continuous-TS readers finish. */
    record EndStore() implements StreamCommand {}

    /** The stream is over: its manager forgets it. */
    record Ended() implements StreamCommand {}

    /** Something the machine waits for. */
    sealed interface Due {}

    /** The restart the restart policy allowed is due. */
    record RestartDue() implements Due {}

    /** A replacement run the restart policy allowed is due. */
    record ReplacementDue(RunPurpose purpose, int sourceIndex) implements Due {}
}
