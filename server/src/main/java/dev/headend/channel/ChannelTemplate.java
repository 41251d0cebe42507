package dev.headend.channel;

/**
 * A channel definition for ids made on demand: a request for an id its {@link #pattern()}
 * matches gets a channel made by {@link #channel(String)} from the placeholder's value.
 */
public interface ChannelTemplate {
    IdPattern pattern();

    /**
     * The channel for an accepted placeholder value (see {@link IdPattern#match}).
     *
     * @throws InvalidChannelException when the definition with this value is not a valid channel
     */
    Channel channel(String value);
}
