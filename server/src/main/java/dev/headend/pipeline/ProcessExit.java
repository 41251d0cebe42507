package dev.headend.pipeline;

/**
 * How a pipeline process ended.
 *
 * @param exitCode the process's exit status (128 + signal number when killed by a signal), or -1
 *     when it never started
 * @param reason the last FFmpeg error line, or a description when there is none
 * @param requested true when the server asked it to stop
 */
public record ProcessExit(int exitCode, String reason, boolean requested) {}
