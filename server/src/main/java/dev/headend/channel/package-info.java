/**
 * Channel definitions: identity and guide data, the {@link dev.headend.channel.Source}s it
 * reads, the {@link dev.headend.channel.OutputProfile} it produces, its policies and the look
 * of its slate ({@link dev.headend.channel.SlateLook}, with the status line's rules in {@link
 * dev.headend.channel.SlateStatus}). Definitions are immutable values checked when they are
 * made.
 */
package dev.headend.channel;
