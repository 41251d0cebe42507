package dev.headend.resilience;

import dev.headend.resilience.RestartDecision.Verdict;
import dev.headend.time.Durations;
import dev.headend.time.Moment;
import dev.headend.time.TimeSource;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single decision point for every pipeline restart of the server. A decision combines, in
 * order: the global throttle (at most {@code globalMaxRestarts} restarts in any {@code globalWindow},
 * across all channels, operator restarts included), the channel's cooldown (at least {@code
 * cooldown} between two restarts, waived for operator requests, configuration changes and after
 * a run healthy for at least {@code healthyRun}) and the channel's circuit breaker.
 *
 * <p>Invariants: every decision reserves its throttle slot at its {@code at}, and no window of
 * {@code globalWindow} ever holds more than {@code globalMaxRestarts} reserved slots; a channel
 * holds at most one future slot (a newer decision for it gives the older one back); the memory per
 * channel is bounded (one breaker with fewer than {@code breakerFailures} failure times, two
 * instants). All methods are serialized on this object's lock.
 */
public final class RestartPolicy {
    private static final Logger log = LoggerFactory.getLogger(RestartPolicy.class);

    /** The policy's limits; see the class comment for what each one bounds. */
    public record Config(int globalMaxRestarts, Duration globalWindow, Duration cooldown, Duration healthyRun,
            int breakerFailures, Duration breakerWindow, Duration breakerOpen) {
        public Config {
            requireAtLeastOne(globalMaxRestarts, "globalMaxRestarts");
            requirePositive(globalWindow, "globalWindow");
            requireNotNegative(cooldown, "cooldown");
            requireNotNegative(healthyRun, "healthyRun");
            requireAtLeastOne(breakerFailures, "breakerFailures");
            requirePositive(breakerWindow, "breakerWindow");
            requirePositive(breakerOpen, "breakerOpen");
        }

        /** 10 restarts per 60 s, 30 s cooldown, 30 s healthy run, 5 failures in 300 s open for 120 s. */
        public static Config defaults() {
            return new Config(10, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30),
                    5, Duration.ofSeconds(300), Duration.ofSeconds(120));
        }

        private static void requireAtLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
        }

        private static void requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }

        private static void requireNotNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
        }
    }

    private Config config;
    private final TimeSource time;
    private final RestartThrottle throttle;
    private final Map<String, ChannelRestarts> channels = new HashMap<>();
    private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);

    /** @param time the monotonic clock every window, cooldown and open period is measured on */
    public RestartPolicy(Config config, TimeSource time) {
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.throttle = new RestartThrottle(config.globalMaxRestarts(), config.globalWindow());
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, 0L);
        }
    }

    /**
     * The next decisions use {@code next}: the throttle's limits, cooldowns, the healthy-run time
     * and every channel's breaker limits. Reserved slots and running open periods stay as they are.
     */
    public synchronized void reconfigure(Config next) {
        config = Objects.requireNonNull(next, "next");
        throttle.limits(next.globalMaxRestarts(), next.globalWindow());
        channels.values().forEach(c -> c.breaker().limits(next.breakerFailures(), next.breakerWindow(),
                next.breakerOpen()));
    }

    /**
     * Decides when the channel's pipeline may be restarted; records the failure for the breaker (not
     * for OPERATOR or CONFIG_CHANGE). The decision reserves its throttle slot and supersedes the
     * channel's pending one.
     */
    public synchronized RestartDecision decide(String channelId, RestartCause cause, Duration healthyRunTime,
            String reason) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(healthyRunTime, "healthyRunTime");
        Objects.requireNonNull(reason, "reason");
        Moment now = time.now();
        ChannelRestarts channel = channel(channelId);
        channel.settle(now).ifPresent(throttle::release);
        RestartConstraints constraints = new RestartConstraints(now, channel.lastRestart(),
                cooldownEnd(channel, cause, healthyRunTime, now),
                cause.isFailure() ? channel.breaker().recordFailure(now) : channel.breaker().blockedUntil(now));
        Moment at = throttle.reserve(constraints.earliest(), now);
        channel.scheduled(at, now);
        Verdict verdict = constraints.verdictFor(at);
        RestartDecision decision = new RestartDecision(at, verdict,
                explain(verdict, at, constraints, cause, healthyRunTime, now));
        counts.merge(verdict, 1L, Long::sum);
        if (verdict == Verdict.NOW) {
            log.info("channel {}: {} restart {} : {}; reason: {}", channelId, cause, verdict,
                    decision.explanation(), reason);
        } else {
            log.warn("channel {}: {} restart {} in {}: {}; reason: {}", channelId, cause, verdict,
                    seconds(now.until(at)), decision.explanation(), reason);
        }
        return decision;
    }

    /**
     * Records a failure that leads to no restart (a start that failed before its first segment)
     * for the channel's breaker only: no throttle slot is taken. Returns when the breaker blocks
     * new attempts, if it does.
     */
    public synchronized Optional<Moment> recordFailure(String channelId, String reason) {
        Objects.requireNonNull(reason, "reason");
        Moment now = time.now();
        Optional<Moment> blocked = channel(channelId).breaker().recordFailure(now);
        log.info("channel {}: start failure recorded{}; reason: {}", channelId,
                blocked.map(b -> ", circuit open for " + seconds(now.until(b))).orElse(""), reason);
        return blocked;
    }

    /**
     * The (re)started pipeline produced its first segment: a HALF_OPEN breaker (or an OPEN one whose
     * period is over, that run being the probe) closes and forgets old failures.
     */
    public synchronized void onSuccess(String channelId) {
        channel(channelId).breaker().onSuccess(time.now());
    }

    /**
     * Called when a scheduled restart actually happens; an OPEN breaker whose open time is over
     * becomes HALF_OPEN and lets exactly this one attempt through.
     */
    public synchronized void onAttempt(String channelId) {
        channel(channelId).breaker().onAttempt(time.now());
    }

    /**
     * The channel's breaker state as it would act now: an open breaker whose open period is over
     * reads HALF_OPEN, since the next run is its probe.
     */
    public synchronized CircuitState circuitState(String channelId) {
        ChannelRestarts channel = channels.get(channelId);
        return channel == null ? CircuitState.CLOSED : channel.breaker().state(time.now());
    }

    /** The end of the channel's open period while it is running (for a 503 circuit_open + Retry-After). */
    public synchronized Optional<Moment> blockedUntil(String channelId) {
        ChannelRestarts channel = channels.get(channelId);
        return channel == null ? Optional.empty() : channel.breaker().blockedUntil(time.now());
    }

    /** Decisions taken so far, by verdict; every verdict is present. */
    public synchronized Map<Verdict, Long> counts() {
        return Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    private ChannelRestarts channel(String channelId) {
        return channels.computeIfAbsent(channelId, id -> new ChannelRestarts(
                new CircuitBreaker(id, config.breakerFailures(), config.breakerWindow(), config.breakerOpen())));
    }

    private Optional<Moment> cooldownEnd(ChannelRestarts channel, RestartCause cause, Duration healthyRunTime,
            Moment now) {
        if (!cause.isFailure() || healthyRunTime.compareTo(config.healthyRun()) >= 0) {
            return Optional.empty();
        }
        return channel.cooldownEnd(config.cooldown(), now);
    }

    private String explain(Verdict verdict, Moment at, RestartConstraints constraints, RestartCause cause,
            Duration healthyRunTime, Moment now) {
        return switch (verdict) {
            case NOW -> "restart at once (" + whyNoCooldown(constraints.lastRestart(), cause, healthyRunTime, now)
                    + ")";
            case COOLDOWN -> "cooldown: last restart " + seconds(constraints.lastRestart().orElseThrow().until(now))
                    + " ago, at least " + seconds(config.cooldown()) + " between restarts";
            case GLOBAL_THROTTLE -> "global throttle: " + config.globalMaxRestarts() + " restarts per "
                    + seconds(config.globalWindow()) + " already reserved; next free slot in "
                    + seconds(now.until(at));
            case CIRCUIT_OPEN -> {
                Moment openUntil = constraints.circuitOpenUntil().orElseThrow();
                yield "circuit open for " + seconds(now.until(openUntil)) + " more"
                        + (at.isAfter(openUntil) ? ", then held " + seconds(openUntil.until(at))
                                + " more by the cooldown or global throttle" : "");
            }
        };
    }

    private String whyNoCooldown(Optional<Moment> lastRestart, RestartCause cause, Duration healthyRunTime,
            Moment now) {
        if (!cause.isFailure()) {
            return (cause == RestartCause.OPERATOR ? "operator request" : "configuration change") + ", cooldown waived";
        }
        if (healthyRunTime.compareTo(config.healthyRun()) >= 0) {
            return "previous run healthy for " + seconds(healthyRunTime);
        }
        return lastRestart.map(last -> "cooldown since the restart " + seconds(last.until(now)) + " ago is over")
                .orElse("first restart");
    }

    private static String seconds(Duration d) {
        return Durations.seconds(d);
    }
}
