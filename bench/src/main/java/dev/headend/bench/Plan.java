package dev.headend.bench;

import java.util.List;

/**
 * How much each scenario does: the full run (under 20 minutes) or the quick one (under 3). Times in seconds.
 *
 * @param storedEvents events the store throughput is measured over
 * @param eventCycles starts and stops of a channel the event latencies are measured over
 * @param outageEvents events published while a webhook receiver is down
 * @param nonReaderSeconds how long the TS viewers that never read are watched
 * @param memorySessions sessions of each protocol the memory per session is measured over
 * @param importRuns imports of a 10,000-entry M3U playlist (each a dry run, then stored)
 * @param clusterKills owner nodes SIGKILLed in the cluster scenario
 * @param clusterViewers simulated HLS viewers over the cluster's nodes while its Redis traffic is counted
 */
record Plan(int coldRuns, int warmCalls, int wrkRounds, int wrkSeconds, List<Integer> viewerSteps,
        int viewerSeconds, List<Integer> readerSteps, int readerSeconds, int isolationReaders, int kills,
        int storedEvents, int eventCycles, int outageEvents, int nonReaderSeconds, int memorySessions,
        int importRuns, int clusterKills, int clusterViewers) {
    static final Plan FULL = new Plan(10, 10_000, 3, 5, List.of(1_000, 2_000, 5_000, 10_000), 20,
            List.of(100, 500, 1_000, 2_000), 10, 200, 5, 50_000, 50, 1_000, 30, 1_000, 5, 10, 1_000);
    static final Plan QUICK = new Plan(5, 2_000, 2, 3, List.of(500, 1_000, 2_000), 10, List.of(100, 500), 5, 200, 5,
            20_000, 10, 200, 20, 1_000, 3, 3, 300);
}
