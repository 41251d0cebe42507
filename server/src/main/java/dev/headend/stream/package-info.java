/**
 * Streams: running channels. The {@link dev.headend.stream.StreamManager} guarantees one stream
 * per channel and applies the idle and always-on policies and the start-timeout sweep; it asks
 * the {@link dev.headend.stream.Ownership} before it creates a stream and the {@link
 * dev.headend.stream.PlaylistContinuity} where the new stream's numbering continues. Each
 * stream's life is a pure state machine ({@link dev.headend.stream.StreamMachine}: events in,
 * commands out, unit-tested without threads or processes) run by a thin owner ({@link
 * dev.headend.stream.LiveStream}) that holds its segment store, its slate feeder and the
 * processes of its runs. The machine asks the restart policy when to restart a dead run and
 * shows the slate meanwhile, judges health, fails over between sources, and replaces runs at a
 * segment boundary (operator restart, reload, long-run limit, failback). Readers see a stream
 * through one immutable {@link dev.headend.stream.StreamSnapshot}.
 *
 * <p>Words: a <em>run</em> is one FFmpeg process of a stream's pipeline, from the decision to
 * start it until its exit.
 */
package dev.headend.stream;
