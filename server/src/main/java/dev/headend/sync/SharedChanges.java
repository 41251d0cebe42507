package dev.headend.sync;

import java.util.List;

/**
 * Where a change accepted through this node's API is told to the other nodes. Called by the
 * component that owns the changed state, under its lock, after the change was checked and before
 * it is stored here: a change that cannot be shared is refused, so that nodes never differ.
 */
@FunctionalInterface
public interface SharedChanges {
    /** A single server: nothing to tell, every change has sequence number 0. */
    SharedChanges SINGLE_NODE = items -> 0;

    /**
     * Publishes the items of one change, together.
     *
     * @return the change's cluster-wide sequence number (greater than any published before it)
     * @throws UnsharedChangeException when the change could not be published; nothing was
     */
    long publish(List<SharedItem> items);
}
