package dev.headend.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequence number of the change each item's current value came from, and the rule of which
 * change applies: one whose number is greater than the item's. Numbers come from one counter in
 * the cluster, so an older change (a message that arrives late, a catch-up that reads what was
 * already applied, this node's own change coming back) never replaces a newer one. Items never
 * seen count as 0. Not thread-safe: the owner calls it under the lock that guards the items.
 */
public final class ItemVersions {
    private final Map<String, Long> seqs = new HashMap<>();

    /** The items of {@code offered} newer than what is applied, the newest of each item once, in offered order. */
    public List<SharedItem.Versioned> newer(List<SharedItem.Versioned> offered) {
        Map<String, SharedItem.Versioned> newest = new LinkedHashMap<>();
        for (SharedItem.Versioned v : offered) {
            if (v.seq() <= seq(v.item().id())) {
                continue;
            }
            newest.merge(v.item().id(), v, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        return new ArrayList<>(newest.values());
    }

    /** Records that the items' values now come from their changes (a lower number than known is ignored). */
    public void applied(List<SharedItem.Versioned> items) {
        for (SharedItem.Versioned v : items) {
            seqs.merge(v.item().id(), v.seq(), Math::max);
        }
    }

    /** Records a change made here, published with {@code seq}. */
    public void applied(List<SharedItem> items, long seq) {
        applied(items.stream().map(i -> new SharedItem.Versioned(i, seq)).toList());
    }

    /** The number of the change the item's value comes from; 0 when none is known. */
    public long seq(String itemId) {
        return seqs.getOrDefault(itemId, 0L);
    }
}
