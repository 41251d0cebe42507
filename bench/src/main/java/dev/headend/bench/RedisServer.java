package dev.headend.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} for the cluster scenario: on a free loopback port, without persistence,
 * ended by {@link #close()}. {@link #commandsProcessed()} reads its command counter ({@code INFO
 * stats}) over a plain socket, so the benchmark measures the cluster's Redis traffic without a
 * client library of its own.
 */
final class RedisServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final long START_BOUND_MS = 10_000;

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServer start(Path log) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisServer redis = new RedisServer(p, port);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MS);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                redis.commandsProcessed();
                return redis;
            } catch (IOException e) {
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        redis.close();
        throw new IllegalStateException("redis-server did not answer within " + START_BOUND_MS + " ms; see " + log
                + (Files.exists(log) ? ": " + Files.readString(log).strip() : ""));
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Commands the server has processed since it started ({@code total_commands_processed}). */
    long commandsProcessed() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = bulkString(socket.getInputStream());
            return reply.lines().filter(l -> l.startsWith("total_commands_processed:"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst()
                    .orElseThrow(() -> new IOException("no total_commands_processed in INFO stats"));
        }
    }

    /**
     * Calls per command since the server started, from {@code INFO commandstats}: the calls a
     * script made count there too, each under its own command ({@code zadd}, {@code get}...).
     */
    Map<String, Long> commandCalls() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Map<String, Long> calls = new TreeMap<>();
            for (String line : bulkString(socket.getInputStream()).lines().toList()) {
                if (line.startsWith("cmdstat_") && line.contains(":calls=")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    int from = line.indexOf(":calls=") + ":calls=".length();
                    calls.put(name, Long.parseLong(line.substring(from, line.indexOf(',', from))));
                }
            }
            return calls;
        }
    }

    /** A RESP bulk string: {@code $<length>\r\n<bytes>\r\n}. */
    private static String bulkString(InputStream in) throws IOException {
        StringBuilder header = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            header.append((char) c);
        }
        if (header.charAt(0) != '$') {
            throw new IOException("not a bulk string: " + header.toString().strip());
        }
        int length = Integer.parseInt(header.substring(1).strip());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
