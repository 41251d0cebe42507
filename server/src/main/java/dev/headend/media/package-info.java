/**
 * Media handling owned by the server: cutting a pipeline's MPEG-TS into keyframe-aligned
 * segments, keeping them in memory with monotonic sequence numbers across pipeline runs,
 * rendering the live playlist, and serving continuous-TS readers from the same buffer.
 */
package dev.headend.media;
