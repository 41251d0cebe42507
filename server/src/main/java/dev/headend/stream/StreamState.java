package dev.headend.stream;

import dev.headend.time.Moment;

/** Where a stream is in its life. Every state has a snake_case name for the API. */
public sealed interface StreamState {
    String name();

    /** Pipeline spawned, no segment yet. */
    record Starting() implements StreamState {
        @Override
        public String name() {
            return "starting";
        }
    }

    /** Producing segments. */
    record Running() implements StreamState {
        @Override
        public String name() {
            return "running";
        }
    }

    /**
     * The pipeline died while watched ({@code reason}); viewers see the slate until a new one,
     * due at {@code at} as the restart policy decided, takes over.
     */
    record Restarting(String reason, Moment at) implements StreamState {
        @Override
        public String name() {
            return "restarting";
        }
    }

    /** The pipeline cannot be started; {@code reason} says why. Terminal. */
    record Failed(String reason) implements StreamState {
        @Override
        public String name() {
            return "failed";
        }
    }

    /** Stopped: deliberately, for lack of viewers, or at shutdown. Terminal. */
    record Stopped(String reason) implements StreamState {
        @Override
        public String name() {
            return "stopped";
        }
    }

    static boolean terminal(StreamState s) {
        return switch (s) {
            case Starting st -> false;
            case Running r -> false;
            case Restarting r -> false;
            case Failed f -> true;
            case Stopped st -> true;
        };
    }
}
