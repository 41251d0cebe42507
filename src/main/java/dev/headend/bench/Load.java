package dev.headend.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the load scenarios: pacing and running simulated clients on virtual threads. */
final class Load {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** File descriptors kept free for everything but the simulated clients. */
    private static final int FD_MARGIN = 256;
    /** Read and connect timeout of a simulated client. */
    static final int TIMEOUT_MS = 10_000;

    private Load() {}

    static void sleepUntil(long nanos) throws InterruptedException {
        long d = nanos - System.nanoTime();
        if (d > 0) {
            Thread.sleep(Duration.ofNanos(d));
        }
    }

    static double msSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The most simulated clients both this process and the server can hold open (ulimit -n). */
    static long clientLimit(ServerProcess server) throws IOException {
        return Math.min(Proc.openFileLimit(ProcessHandle.current().pid()), Proc.openFileLimit(server.pid()))
                - FD_MARGIN;
    }

    /** A simulated client: runs on its own virtual thread; {@link #stop()} ends it from outside. */
    interface Client extends Runnable {
        void stop();
    }

    /** Starts the clients, one virtual thread each. */
    static ExecutorService start(List<? extends Client> clients) {
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        clients.forEach(exec::submit);
        exec.shutdown();
        return exec;
    }

    /** Waits for the clients to finish by themselves, then stops those still running. */
    static void finish(ExecutorService exec, List<? extends Client> clients, Duration grace)
            throws InterruptedException {
        if (!exec.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            clients.forEach(Client::stop);
            exec.awaitTermination(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
        }
    }
}
