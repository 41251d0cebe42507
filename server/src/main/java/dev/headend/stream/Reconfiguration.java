package dev.headend.stream;

import java.util.List;

/**
 * What a new channel catalog did to the running server, by channel id.
 *
 * @param added channels that did not exist before (always-on ones start at the next tick)
 * @param removed channels that no longer exist; their streams were stopped
 * @param updated channels whose definition changed without needing a new pipeline (or that were
 *     not running); the change took effect at once
 * @param hotSwapped running channels whose pipeline no longer matched: a replacement takes over
 *     at a segment boundary, with no gap
 * @param restarted running channels whose change altered the stream's target duration, which a
 *     live playlist cannot do: the stream was stopped (viewers see the end of the stream) and a
 *     new one starts on the next request, or at the next tick for an always-on channel
 * @param unchanged how many channels kept the same definition
 */
public record Reconfiguration(List<String> added, List<String> removed, List<String> updated,
        List<String> hotSwapped, List<String> restarted, int unchanged) {

    public Reconfiguration {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        updated = List.copyOf(updated);
        hotSwapped = List.copyOf(hotSwapped);
        restarted = List.copyOf(restarted);
    }
}
