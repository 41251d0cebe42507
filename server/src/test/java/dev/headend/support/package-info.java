/**
 * Test support: a real server on a random port, the stream API and HLS playback as the tests see
 * them, runs of command-line tools (FFmpeg, ffprobe), and a clock that moves only when a test
 * moves it.
 */
package dev.headend.support;
