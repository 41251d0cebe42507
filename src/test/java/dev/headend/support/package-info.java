/**
 * Test support: a real server on a random port, helpers to probe media with ffprobe, and a clock
 * that moves only when a test moves it.
 */
package dev.headend.support;
