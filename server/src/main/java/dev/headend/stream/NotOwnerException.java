package dev.headend.stream;

import java.util.Optional;

/** This server may not run the channel: another node owns it, or no ownership can be granted now. */
public final class NotOwnerException extends Exception {
    private final Ownership.Claim claim;

    public NotOwnerException(String channelId, Ownership.Claim claim) {
        super(switch (claim) {
            case Ownership.Claim.Elsewhere e -> "channel " + channelId + " runs on node " + e.node();
            case Ownership.Claim.Unavailable u -> "channel " + channelId + " cannot start here now: " + u.reason();
            case Ownership.Claim.Granted g -> throw new IllegalArgumentException("a granted claim is no refusal");
        });
        this.claim = claim;
    }

    /** The refusal: {@link Ownership.Claim.Elsewhere} or {@link Ownership.Claim.Unavailable}. */
    public Ownership.Claim claim() {
        return claim;
    }

    /** The node that runs the channel, when another does. */
    public Optional<Ownership.Claim.Elsewhere> elsewhere() {
        return claim instanceof Ownership.Claim.Elsewhere e ? Optional.of(e) : Optional.empty();
    }
}
