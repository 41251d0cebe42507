package dev.headend.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A node's streams for the cluster's unit tests: started by hand, stopped by the node, each stop recorded. */
abstract class RecordedStreams implements LocalStreams {
    final Set<String> running = new HashSet<>();
    final List<String> stopped = new ArrayList<>();

    @Override
    public synchronized Set<String> running() {
        return Set.copyOf(running);
    }

    @Override
    public int viewers() {
        return 0;
    }

    @Override
    public synchronized void stop(String channelId, String reason) {
        running.remove(channelId);
        stopped.add(channelId + ": " + reason);
    }
}
