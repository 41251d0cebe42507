/**
 * Streams: running channels. The manager guarantees one stream per channel and applies the
 * idle and always-on policies and the stall sweep. Each stream owns its segment store and its
 * pipeline runs: it asks the restart policy when to restart a dead run and feeds the slate
 * meanwhile, judges health, fails over between sources, and hot-swaps runs at a segment
 * boundary.
 */
package dev.headend.stream;
