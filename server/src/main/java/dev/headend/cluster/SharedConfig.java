package dev.headend.cluster;

import dev.headend.security.Secrets;
import dev.headend.sync.SharedChanges;
import dev.headend.sync.SharedItem;
import dev.headend.sync.UnsharedChangeException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings and channels changed through the API, shared by the nodes through Redis: a change
 * accepted here is published ({@link ClusterStore#publishChange}: numbered, kept as the latest
 * state, announced on {@code headend:changes}); a change announced by any node, this one's
 * included, is handed to the appliers, which apply only what is newer than what they hold (so
 * this node's own change coming back does nothing, and nothing is published again).
 *
 * <p>A node catches up from the latest state when it starts, when it notices a gap in the
 * numbers it received (messages lost while disconnected) and when a check finds a newer number
 * than it received ({@link #tick}, every half second: one {@code GET}). Changes are applied one
 * at a time, in the order received, on a thread of their own (never on Redis's I/O thread). No
 * value is logged here: a channel's source URL may hold a password.
 */
public final class SharedConfig implements SharedChanges {
    private static final Logger log = LoggerFactory.getLogger(SharedConfig.class);

    private final ClusterStore store;
    private final String node;
    private final Consumer<List<SharedItem.Versioned>> appliers;
    private final ExecutorService applying = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("cluster-config").factory());
    /** The highest change number received or caught up to (a gap above it means lost messages). */
    private final AtomicLong received = new AtomicLong();
    private final ReentrantLock checking = new ReentrantLock();
    private volatile boolean subscribed;

    /**
     * @param appliers applies the items of a change (only those newer than what this node holds)
     */
    public SharedConfig(ClusterNode node, Consumer<List<SharedItem.Versioned>> appliers) {
        this.store = node.store();
        this.node = node.id();
        this.appliers = appliers;
    }

    @Override
    public long publish(List<SharedItem> items) {
        try {
            long seq = store.publishChange(node, items, received.get() + 1);
            log.debug("cluster: change {} published by node {}: {}", seq, node, ids(items));
            return seq;
        } catch (ClusterStoreException e) {
            throw new UnsharedChangeException("the cluster's Redis cannot be reached, so the other nodes cannot be"
                    + " told of the change", ClusterNode.RETRY_AFTER);
        }
    }

    /**
     * Subscribes when not yet subscribed, then catches up when Redis has a newer change than the
     * last received. A check still running when the next is due makes that one skip.
     */
    public void tick() {
        if (!checking.tryLock()) {
            return;
        }
        try {
            if (!subscribed) {
                store.subscribeChanges(this::received);
                subscribed = true;
            }
            long newest = store.changeSeq();
            if (newest > received.get()) {
                catchUp(newest);
            }
        } catch (ClusterStoreException e) {
            log.debug("cluster: shared changes not checked: {}", e.getMessage());
        } finally {
            checking.unlock();
        }
    }

    /** Stops applying changes (those received and not yet applied are dropped: the next start catches up). */
    public void stop() {
        applying.shutdownNow();
        try {
            applying.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A message: applied in turn; a gap before it (messages lost) makes the next check catch up. */
    private void received(SharedChange change) {
        long before = received.getAndAccumulate(change.seq(), Math::max);
        if (change.seq() > before + 1 && before > 0) {
            received.set(before); // the check sees a newer number than received and reads the latest state
        }
        submit(change.versioned(), "change " + change.seq() + " from node " + change.node());
    }

    /** Reads the latest state (which holds at least the changes up to {@code newest}) and applies it. */
    private void catchUp(long newest) throws ClusterStoreException {
        List<SharedItem.Versioned> all = store.sharedItems();
        received.accumulateAndGet(newest, Math::max);
        log.debug("cluster: node {} catches up to change {} ({} item(s))", node, newest, all.size());
        submit(all, "the latest state up to change " + newest);
    }

    private void submit(List<SharedItem.Versioned> items, String what) {
        try {
            applying.execute(() -> {
                try {
                    appliers.accept(items);
                } catch (RuntimeException e) {
                    log.warn("cluster: {} was not applied on node {}: {}", what, node, Secrets.mask(e.toString()));
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping: the next start catches up
        }
    }

    private static List<String> ids(List<SharedItem> items) {
        return items.stream().map(SharedItem::id).toList();
    }
}
