package dev.headend.stream;

import dev.headend.resilience.CircuitState;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes between two consecutive views of a stream's machine (one event apart), and its
 * circuit breaker's state before and after. Pure.
 */
final class StreamChanges {
    /** The stop reason the manager gives at shutdown. */
    static final String SHUTDOWN = "server shutting down";
    /** The stop reason of a stream whose channel an operator deleted. */
    static final String DELETED = "channel deleted";
    /** Stop reasons that mean nobody watched. */
    private static final List<String> IDLE_PREFIXES = List.of("no viewers", "pipeline ended with no viewers",
            "pipeline not restarted with no viewers");

    private StreamChanges() {}

    static List<StreamChange> between(String id, StreamMachine.View before, StreamMachine.View after,
            CircuitState circuitBefore, CircuitState circuitAfter) {
        List<StreamChange> changes = new ArrayList<>();
        if (circuitBefore != CircuitState.OPEN && circuitAfter == CircuitState.OPEN) {
            changes.add(new StreamChange.CircuitOpened(id));
        } else if (circuitBefore != CircuitState.CLOSED && circuitAfter == CircuitState.CLOSED) {
            changes.add(new StreamChange.CircuitClosed(id));
        }
        StreamState was = before.state();
        StreamState is = after.state();
        if (after.activeSourceIndex() != before.activeSourceIndex() && after.channel().equals(before.channel())
                && !StreamState.terminal(is)) {
            changes.add(new StreamChange.SourceChanged(id, before.activeSourceIndex(), after.activeSourceIndex(),
                    after.activeSource().display()));
        }
        if (was.getClass() == is.getClass()) {
            if (!StreamState.terminal(is) && after.health().status() != before.health().status()
                    && !(is instanceof StreamState.Restarting)) {
                changes.add(new StreamChange.HealthChanged(id, after.health().status(), after.health().reason()));
            }
            return changes;
        }
        switch (is) {
            case StreamState.Starting s -> { }
            case StreamState.Running r -> {
                if (was instanceof StreamState.Restarting) {
                    changes.add(new StreamChange.Recovered(id, after.restarts()));
                }
            }
            case StreamState.Restarting r -> changes.add(new StreamChange.Restarting(id, r.reason(), after.restarts()));
            case StreamState.Failed f -> {
                changes.add(new StreamChange.Failed(id, f.reason()));
                changes.add(new StreamChange.Ended(id, StreamChange.EndReason.FAILED, f.reason()));
            }
            case StreamState.Stopped s -> changes.add(new StreamChange.Ended(id, endReason(s.reason()), s.reason()));
        }
        return changes;
    }

    static StreamChange.EndReason endReason(String stopReason) {
        if (stopReason.equals(SHUTDOWN)) {
            return StreamChange.EndReason.SERVER_SHUTDOWN;
        }
        if (stopReason.equals(DELETED)) {
            return StreamChange.EndReason.DELETED;
        }
        return IDLE_PREFIXES.stream().anyMatch(stopReason::startsWith) ? StreamChange.EndReason.IDLE
                : StreamChange.EndReason.STOPPED;
    }
}
