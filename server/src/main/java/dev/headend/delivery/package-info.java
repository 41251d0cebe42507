/**
 * Delivery to viewers: HLS playlists and segments with per-player sessions, and continuous
 * MPEG-TS with one cursor per viewer over the stream's shared buffer.
 */
package dev.headend.delivery;
