/** Test support: a real server on a random port, and helpers to probe media with ffprobe. */
package dev.headend.support;
