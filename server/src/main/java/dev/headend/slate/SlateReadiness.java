package dev.headend.slate;

/**
 * Whether a channel's slate can be shown now. A channel's base clip is made in the background
 * after its first real segment, so a pipeline that dies before it is ready leaves a gap instead
 * of a slate.
 */
public enum SlateReadiness {
    /** Nothing made or being made yet: the channel has had no real segment. */
    NONE,
    /** The base clip is being made. */
    PREPARING,
    /** The base clip is made: a failing pipeline is covered at once. */
    READY,
    /** The base clip could not be made; it is tried again after a while. */
    FAILED
}
