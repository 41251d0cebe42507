package dev.headend.cluster;

import static org.awaitility.Awaitility.await;

import dev.headend.support.FreePorts;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real {@code redis-server} on a free loopback port, without persistence, started and stopped by a test. */
final class RedisProcess implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** Chosen at the first start; a restart uses it again (the nodes keep its address). */
    private int port;
    private Process process;

    /**
     * Starts redis-server and waits until it answers PING. A first start whose port another
     * process took since it was chosen (redis-server then exits) tries again on another port.
     */
    RedisProcess start() throws IOException {
        boolean first = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (first) {
                port = FreePorts.any();
            }
            Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            await().atMost(BOUND).alias("redis-server answering PING or gone").until(() -> !p.isAlive() || pong());
            if (p.isAlive()) {
                process = p;
                return this;
            }
            if (!first || attempt == 3) {
                throw new IllegalStateException("redis-server exited at start on port " + port);
            }
        }
    }

    /** True when a Redis answers PING on the port (not just any program listening there). */
    private boolean pong() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills it (its data is gone: no persistence). */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
            process = null;
        }
    }

    /**
     * The number of calls of {@code command} (lower case) Redis has counted, scripts' calls
     * included, from {@code INFO commandstats}; 0 when it was never called.
     */
    long calls(String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(s.getInputStream());
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IOException("unexpected answer to INFO: " + header);
            }
            String info = new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
            String prefix = "cmdstat_" + command + ":calls=";
            return info.lines().filter(l -> l.startsWith(prefix))
                    .mapToLong(l -> Long.parseLong(l.substring(prefix.length(), l.indexOf(',')))).sum();
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
