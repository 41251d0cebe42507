package dev.headend.channel;

/** What a pipeline does with the source's audio. */
public enum AudioMode {
    /** Encode to AAC (stereo, 48 kHz). */
    AAC,
    /** Pass the source's audio through unchanged. */
    COPY,
    /** Drop audio. */
    NONE
}
