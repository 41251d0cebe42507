package dev.headend.cluster;

import static org.awaitility.Awaitility.await;

import dev.headend.support.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real {@code redis-server} on a free loopback port, without persistence, started and stopped by a test. */
final class RedisProcess implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final int port = FreePorts.any();
    private Process process;

    RedisProcess start() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        await().atMost(BOUND).alias("redis-server accepting connections").ignoreExceptions().until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            }
        });
        return this;
    }

    /** Kills it (its data is gone: no persistence). */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
            process = null;
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
