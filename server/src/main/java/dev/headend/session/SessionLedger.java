package dev.headend.session;

/**
 * Where viewer sessions are counted beyond this server, for the per-channel limit: in a cluster,
 * the tallies every node shares (so the limit holds for the cluster); on a single server nowhere
 * ({@link #LOCAL}). The registry's own count and limit always apply as well.
 *
 * <p>A ledger never fails a viewer for its own trouble: when its count cannot be read or
 * changed, it admits (the local limit still holds) and says so in its log.
 */
public interface SessionLedger {
    /** A single server: nothing is counted beyond the registry. */
    SessionLedger LOCAL = new SessionLedger() {
        @Override
        public boolean reserve(String channelId, String sessionId, int limit) {
            return true;
        }

        @Override
        public boolean full(String channelId, int limit) {
            return false;
        }

        @Override
        public void release(String channelId, String sessionId) {}
    };

    /**
     * Counts a new session of {@code channelId}, atomically with the check of its limit; false
     * (nothing counted) when the channel already has {@code limit} sessions (0: no limit). May
     * wait for the shared store (bounded): never called on an I/O thread.
     */
    boolean reserve(String channelId, String sessionId, int limit);

    /** Whether a new viewer of {@code channelId} would be refused now (a read; may wait like {@link #reserve}). */
    boolean full(String channelId, int limit);

    /** Stops counting the session; never waits (done in the background). */
    void release(String channelId, String sessionId);
}
