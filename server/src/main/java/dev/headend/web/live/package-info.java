/**
 * Live delivery to viewers: HLS playlists and segments with per-player sessions ({@link
 * dev.headend.web.live.HlsRoutes}), continuous MPEG-TS with one cursor per viewer over the
 * stream's shared buffer ({@link dev.headend.web.live.ContinuousTsRoutes}), and the lookups that
 * start a channel on demand and turn its failures into HTTP errors.
 */
package dev.headend.web.live;
