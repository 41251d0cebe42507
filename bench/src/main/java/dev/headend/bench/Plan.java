package dev.headend.bench;

import java.util.List;

/** How much each scenario does: the full run (under 20 minutes) or the quick one (under 3). Times in seconds. */
record Plan(int coldRuns, int warmCalls, int wrkRounds, int wrkSeconds, List<Integer> viewerSteps,
        int viewerSeconds, List<Integer> readerSteps, int readerSeconds, int isolationReaders, int kills,
        int importRuns) {
    static final Plan FULL = new Plan(10, 10_000, 3, 5, List.of(1_000, 2_000, 5_000, 10_000), 20,
            List.of(100, 500, 1_000, 2_000), 10, 200, 5, 5);
    static final Plan QUICK = new Plan(5, 2_000, 2, 3, List.of(500, 1_000, 2_000), 10, List.of(100, 500), 5, 200, 5,
            3);
}
