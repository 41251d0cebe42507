/**
 * Channel definitions: identity and guide data, the {@link dev.headend.channel.Source} it
 * reads, the {@link dev.headend.channel.OutputProfile} it produces, and its policies.
 */
package dev.headend.channel;
