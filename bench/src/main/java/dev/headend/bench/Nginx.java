package dev.headend.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx serving static files from a temporary directory on a free loopback port, as a child
 * process (master and workers) that {@link #close()} ends with the directory.
 */
final class Nginx implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path prefix;
    private final int port;

    private Nginx(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    static Nginx start() throws IOException, InterruptedException {
        // Readable by nginx's worker user when the benchmark runs as root.
        Path prefix = Files.createTempDirectory("headend-nginx",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path root = Files.createDirectory(prefix.resolve("www"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = ServerProcess.freePort();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                daemon off;
                master_process on;
                worker_processes auto;
                error_log %1$s/error.log;
                pid %1$s/nginx.pid;
                events {}
                http {
                    access_log off;
                    sendfile on;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                    }
                }
                """.formatted(prefix, port, root));
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-e", prefix.resolve("error.log").toString(),
                "-c", conf.toString(), "-p", prefix.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(p, prefix, port);
        try {
            nginx.awaitListening();
        } catch (RuntimeException | IOException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    /** Publishes bytes as a file; returns its URL. */
    String publish(String name, byte[] bytes) throws IOException {
        Files.write(prefix.resolve("www").resolve(name), bytes);
        return "http://127.0.0.1:" + port + "/" + name;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(prefix.resolve("nginx.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nginx did not listen within 10 s");
    }

    @Override
    public void close() throws IOException {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
        Bench.deleteTree(prefix);
    }
}
