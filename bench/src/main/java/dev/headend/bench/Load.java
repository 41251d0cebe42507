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

    /**
     * A simulated client on one keep-alive connection to the server. Its {@link #session()} runs
     * until it is done or fails; a failure is its {@link #error()}, unless {@link #stop()} caused
     * it by closing the connection.
     */
    abstract static class Connected implements Client {
        final HttpConn conn;
        private volatile boolean stopped;
        private String error;

        Connected(int port) {
            this.conn = new HttpConn(port, TIMEOUT_MS);
        }

        abstract void session() throws IOException, InterruptedException;

        @Override
        public final void run() {
            try (conn) {
                session();
            } catch (IOException | RuntimeException e) {
                if (!stopped) {
                    error = e.toString();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Why the client failed, or null. */
        String error() {
            return error;
        }

        @Override
        public void stop() {
            stopped = true;
            try {
                conn.close();
            } catch (IOException e) {
                // the client ends either way: its next read or write fails
            }
        }
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
