package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("counts this JVM's open file descriptors, which tests running beside it would change")
class LinuxSystemProbeTest {
    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            %s                 4096                 files
            Max locked memory         8388608              8388608              bytes
            """;

    @TempDir
    Path proc;

    @Test
    void readsMemInfoInBytesTheSoftFileLimitAndTheOpenDescriptors() throws IOException {
        Files.writeString(proc.resolve("meminfo"), """
                MemTotal:       16318412 kB
                MemFree:         1234567 kB
                MemAvailable:    8159206 kB
                Buffers:          345678 kB
                """);
        Files.createDirectories(proc.resolve("self/fd"));
        Files.writeString(proc.resolve("self/limits"), LIMITS.formatted("1024"));
        for (int fd = 0; fd < 7; fd++) {
            Files.createFile(proc.resolve("self/fd/" + fd));
        }
        SystemProbe probe = new LinuxSystemProbe(proc);

        assertThat(probe.memTotalBytes()).isEqualTo(16318412L * 1024);
        assertThat(probe.memAvailableBytes()).isEqualTo(8159206L * 1024);
        assertThat(probe.fdLimit()).isEqualTo(1024);
        assertThat(probe.fdsInUse()).isEqualTo(7);
    }

    @Test
    void unlimitedOpenFilesReadAsTheLargestLong() throws IOException {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/limits"), LIMITS.formatted("unlimited"));

        assertThat(new LinuxSystemProbe(proc).fdLimit()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void missingMemAvailableIsAnError() throws IOException {
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       16318412 kB\n");

        assertThatThrownBy(() -> new LinuxSystemProbe(proc).memAvailableBytes())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MemAvailable");
    }

    @Test
    void readingsOfThisProcessAgreeWithTheJvm() throws IOException {
        SystemProbe probe = SystemProbe.linux();
        UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        assertThat(probe.memTotalBytes()).isPositive();
        assertThat(probe.memAvailableBytes()).isPositive().isLessThanOrEqualTo(probe.memTotalBytes());
        assertThat(probe.fdLimit()).isEqualTo(os.getMaxFileDescriptorCount());

        long before = probe.fdsInUse();
        List<InputStream> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                opened.add(Files.newInputStream(Path.of("/proc/self/status")));
            }
            assertThat(probe.fdsInUse()).isGreaterThanOrEqualTo(before + 100).isLessThan(probe.fdLimit());
        } finally {
            for (InputStream in : opened) {
                in.close();
            }
        }
    }
}
