package dev.headend.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link SystemProbe} over a {@code /proc} file system. Memory figures in {@code meminfo} are in
 * kB (KiB) and are returned in bytes; an "unlimited" file limit reads as {@link Long#MAX_VALUE};
 * the count of open descriptors includes the one used to list them.
 */
final class LinuxSystemProbe implements SystemProbe {
    private static final String OPEN_FILES = "Max open files";

    private final Path proc;

    LinuxSystemProbe(Path proc) {
        this.proc = proc;
    }

    @Override
    public long memTotalBytes() {
        return meminfo(lines(proc.resolve("meminfo")), "MemTotal");
    }

    @Override
    public long memAvailableBytes() {
        return meminfo(lines(proc.resolve("meminfo")), "MemAvailable");
    }

    /** Both figures from one read of {@code meminfo}. */
    @Override
    public Memory memory() {
        List<String> meminfo = lines(proc.resolve("meminfo"));
        return new Memory(meminfo(meminfo, "MemTotal"), meminfo(meminfo, "MemAvailable"));
    }

    @Override
    public long fdLimit() {
        for (String line : lines(proc.resolve("self/limits"))) {
            if (line.startsWith(OPEN_FILES)) {
                String soft = line.substring(OPEN_FILES.length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no \"" + OPEN_FILES + "\" line in " + proc.resolve("self/limits"));
    }

    @Override
    public long fdsInUse() {
        long count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self/fd"))) {
            for (Path ignored : fds) {
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private long meminfo(List<String> meminfo, String field) {
        String prefix = field + ":";
        for (String line : meminfo) {
            if (line.startsWith(prefix)) {
                String[] parts = line.substring(prefix.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equals("kB") ? value * 1024 : value;
            }
        }
        throw new IllegalStateException("no " + field + " in " + proc.resolve("meminfo"));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
