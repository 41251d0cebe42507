/**
 * FFmpeg processes: the argument list for a channel's source and the launcher that starts a
 * run's process ({@link dev.headend.pipeline.PipelineLauncher}), the process pool every child
 * process goes through, pipelines and short tool runs alike (cap, spawn rate limit, memory and
 * file-descriptor guards, periodic audit, shutdown), the supervised pipeline process (own
 * process group, stdin from /dev/null except the pushed images of a {@code push:} source,
 * output to a {@link dev.headend.pipeline.ByteSink}, drained and reaped), progress parsing, group signals and the start-up reaper for processes left by a
 * server that died. It knows channels, not streams or segments.
 */
package dev.headend.pipeline;
