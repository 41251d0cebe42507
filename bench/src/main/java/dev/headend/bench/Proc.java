package dev.headend.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a process's CPU time, resident memory and open-file limit from /proc (Linux). */
final class Proc {
    private static final double TICKS_PER_SECOND = clockTicks();

    private Proc() {}

    /** User plus system CPU time so far, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** Busy and total CPU ticks of the whole machine, all cores, since boot (/proc/stat). */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    /** Resident set size in KiB (VmRSS), or 0 when the process is gone. */
    static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The soft limit on open files (ulimit -n) of a process. */
    static long openFileLimit(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
                .filter(l -> l.startsWith("Max open files"))
                .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0])
                .mapToLong(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v))
                .findFirst().orElseThrow(() -> new IOException("no open-file limit for pid " + pid));
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder(List.of("getconf", "CLK_TCK")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
