package dev.headend.pipeline;

import java.util.List;

/**
 * A spawn that the {@link ProcessPool} refused before any process was started. The code says
 * which guard refused; the message carries the readings that made it refuse.
 */
public final class SpawnRefusedException extends Exception {
    /** The pool already runs as many processes as its effective cap allows. */
    public static final String PROCESS_LIMIT = "process_limit";
    /** Memory use is at or above the configured percentage. */
    public static final String MEMORY_GUARD = "memory_guard";
    /** Fewer file descriptors are free than the configured minimum. */
    public static final String FD_GUARD = "fd_guard";
    /** No spawn token becomes available within the configured wait. */
    public static final String SPAWN_RATE_LIMITED = "spawn_rate_limited";
    /** Every code, in the order the guards are checked (the rate limit last). */
    public static final List<String> CODES = List.of(MEMORY_GUARD, FD_GUARD, PROCESS_LIMIT, SPAWN_RATE_LIMITED);

    private final String code;

    public SpawnRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
