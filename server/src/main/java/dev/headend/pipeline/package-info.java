/**
 * FFmpeg pipelines: the argument list for a channel's source, the process pool every spawn goes
 * through (cap, spawn rate limit, memory and file-descriptor guards, periodic audit), the
 * supervised child process (own process group, closed stdin, drained and reaped), progress
 * parsing, group signals and the start-up reaper for processes left by a server that died.
 */
package dev.headend.pipeline;
