package dev.headend.support;

import dev.headend.channel.Channel;
import dev.headend.channel.Source;
import dev.headend.pipeline.ByteSink;
import dev.headend.pipeline.PipelineLauncher;
import dev.headend.pipeline.PipelineProcess;
import dev.headend.pipeline.ProcessExit;
import dev.headend.pipeline.ProgressStats;
import dev.headend.pipeline.SpawnRefusedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A launcher of pretend pipeline processes that the test drives: each launch is recorded, and
 * its {@link FakeProcess} writes synthetic MPEG-TS ({@link SyntheticTs}) and exits when told.
 * Everything happens on the test's thread. Launches can be made to fail.
 */
public final class FakeLauncher implements PipelineLauncher {
    private final List<FakeProcess> launched = new ArrayList<>();
    private final Deque<Exception> failures = new ArrayDeque<>();
    private long nextPid = 1000;

    /** One pretend process. */
    public final class FakeProcess implements PipelineProcess {
        private final long pid = nextPid++;
        private final Channel channel;
        private final Source source;
        private final ByteSink output;
        private final Consumer<ProcessExit> onExit;
        private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
        private final SyntheticTs ts = SyntheticTs.standard();
        private volatile ProgressStats progress = ProgressStats.NONE;
        private boolean killed;

        FakeProcess(Channel channel, Source source, ByteSink output, Consumer<ProcessExit> onExit) {
            this.channel = channel;
            this.source = source;
            this.output = output;
            this.onExit = onExit;
        }

        public Channel channel() {
            return channel;
        }

        public Source source() {
            return source;
        }

        /** Writes {@code seconds} of stream (a keyframe each second). */
        public FakeProcess produce(double seconds) {
            byte[] bytes = ts.seconds(seconds);
            output.write(bytes, 0, bytes.length);
            return this;
        }

        /**
         * Writes enough stream to close {@code n} more one-second segments (the keyframe that
         * closes the last one included).
         */
        public FakeProcess segments(int n) {
            produce(n);
            byte[] next = ts.frames(1);
            output.write(next, 0, next.length);
            return this;
        }

        public void progress(ProgressStats stats) {
            progress = stats;
        }

        /** The process ends on its own (a crash, or the source ended). */
        public void crash(String reason) {
            end(new ProcessExit(1, reason, false));
        }

        /** Whether the server killed it (SIGKILL). */
        public boolean killed() {
            return killed;
        }

        /** Whether it has ended. */
        public boolean ended() {
            return exit.isDone();
        }

        /** Whether it ended because the server asked it to stop. */
        public boolean stopped() {
            return exit.isDone() && exit.join().requested();
        }

        private void end(ProcessExit e) {
            if (exit.isDone()) {
                return;
            }
            output.end();
            exit.complete(e);
            onExit.accept(e);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public ProgressStats progress() {
            return progress;
        }

        @Override
        public boolean alive() {
            return !exit.isDone();
        }

        @Override
        public CompletableFuture<ProcessExit> exit() {
            return exit;
        }

        @Override
        public void stop(Duration grace) {
            end(new ProcessExit(143, "stopped", true));
        }

        @Override
        public void kill() {
            killed = true;
            end(new ProcessExit(137, "ffmpeg killed by signal 9", false));
        }
    }

    @Override
    public synchronized PipelineProcess launch(Channel channel, Source source, ByteSink output,
            Consumer<ProcessExit> onExit, BooleanSupplier wanted) throws IOException, SpawnRefusedException {
        Exception failure = failures.poll();
        if (failure instanceof SpawnRefusedException refused) {
            throw refused;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (!wanted.getAsBoolean()) {
            throw new IOException(channel.id() + ": not started, no longer wanted");
        }
        FakeProcess p = new FakeProcess(channel, source, output, onExit);
        launched.add(p);
        return p;
    }

    /** The next launch is refused by a pool guard with {@code code}. */
    public synchronized void refuseNext(String code) {
        failures.add(new SpawnRefusedException(code, "refused for the test"));
    }

    /** The next launch cannot start its process. */
    public synchronized void failNext(String message) {
        failures.add(new IOException(message));
    }

    /** Every process launched so far, in order. */
    public synchronized List<FakeProcess> launched() {
        return List.copyOf(launched);
    }

    /** The latest process launched. */
    public synchronized FakeProcess last() {
        if (launched.isEmpty()) {
            throw new IllegalStateException("nothing was launched");
        }
        return launched.getLast();
    }

    /** Processes launched and not ended. */
    public synchronized List<FakeProcess> running() {
        return launched.stream().filter(FakeProcess::alive).toList();
    }
}
