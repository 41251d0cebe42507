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
 */
package dev.headend.slate;
