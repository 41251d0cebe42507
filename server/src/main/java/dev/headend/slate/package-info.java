/**
 * The slate: the picture and sound a stream shows while its pipeline recovers.
 *
 * <p>Slate material is encoded once per (output format, look, segment duration) by a single
 * short FFmpeg run ({@link dev.headend.slate.SlateMaker}), kept in memory as a few
 * keyframe-aligned MPEG-TS segments ({@link dev.headend.slate.SlateClip}, cached by
 * {@link dev.headend.slate.SlateLibrary}) and re-timed for every use
 * ({@link dev.headend.slate.SlateFeed}, {@link dev.headend.media.TsRetimer}), so no encoder
 * runs per channel. {@link dev.headend.slate.MediaFormat#probe} finds the format of a stream
 * known only at run time (a copy-remuxed channel) so its slate matches it.
 *
 * <p>A look ({@link dev.headend.channel.SlateLook}, part of the channel's definition) may add a
 * status line, the time and when the channel should be back ({@link
 * dev.headend.channel.SlateStatus}). Its text changes while the slate shows, so each line gets its
 * own clip, made in the background by the same short run when the line changes (at most once a
 * minute per look), kept by the library up to a cap and switched in at a loop boundary by
 * {@link dev.headend.slate.SlatePlayer}; the slate never waits for it, starting with the clip
 * without line. FFmpeg runs for slates are limited server-wide, so an outage of many channels
 * cannot start many encoders at once; they run, like the probes, through the process pool.
 * Streams see the slate through {@link dev.headend.slate.SlateProvider} only.
 */
package dev.headend.slate;
