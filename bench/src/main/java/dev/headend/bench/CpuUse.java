package dev.headend.bench;

import java.io.IOException;
import java.util.Locale;

/**
 * CPU use over a measurement window: the server's and this process's (the load generator), in
 * percent of one core, and the share of all the machine's cores that was busy, which tells
 * whether the machine rather than the server was the limit.
 */
record CpuUse(double serverPercent, double clientPercent, double machineBusyPercent) {
    /** The start of a window. */
    record Mark(long serverPid, double server, double client, long[] machine, long nanos) {}

    static Mark mark(long serverPid) throws IOException {
        return new Mark(serverPid, Proc.cpuSeconds(serverPid), Proc.cpuSeconds(ProcessHandle.current().pid()),
                Proc.machineTicks(), System.nanoTime());
    }

    static CpuUse since(Mark m) throws IOException {
        double seconds = (System.nanoTime() - m.nanos()) / 1e9;
        long[] machine = Proc.machineTicks();
        return new CpuUse(100 * (Proc.cpuSeconds(m.serverPid()) - m.server()) / seconds,
                100 * (Proc.cpuSeconds(ProcessHandle.current().pid()) - m.client()) / seconds,
                100.0 * (machine[0] - m.machine()[0]) / Math.max(1, machine[1] - m.machine()[1]));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "server %.0f%%, load generator %.0f%% of one core; machine %.0f%% busy",
                serverPercent, clientPercent, machineBusyPercent);
    }
}
