/**
 * Streams: running channels. The manager guarantees one stream (and so one pipeline) per
 * channel, applies the idle and always-on policies and the stall sweep; each stream owns its
 * segment store and decides, when its pipeline dies, whether to restart it.
 */
package dev.headend.stream;
