package dev.headend;

import dev.headend.time.Scheduler;
import java.time.Duration;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of the server's life, as a Jetty life cycle: what to do when the server starts and
 * what to undo when it stops. The server's root container starts its components in the order
 * they were added and stops them in reverse, combining the failures of the stops.
 */
final class Component extends AbstractLifeCycle {
    private static final Logger log = LoggerFactory.getLogger(Component.class);

    /** Work that may fail. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;

        Step NOTHING = () -> { };
    }

    private final String name;
    private final Step start;
    private final Step stop;

    Component(String name, Step start, Step stop) {
        this.name = name;
        this.start = start;
        this.stop = stop;
    }

    /** Periodic work: scheduled every {@code period} while the component runs. */
    static Component every(String name, Scheduler scheduler, Duration period, Runnable work) {
        Scheduler.Task[] task = new Scheduler.Task[1];
        return new Component(name, () -> task[0] = scheduler.repeat(period, work), () -> task[0].cancel());
    }

    @Override
    protected void doStart() throws Exception {
        log.debug("starting {}", name);
        start.run();
    }

    @Override
    protected void doStop() throws Exception {
        log.debug("stopping {}", name);
        stop.run();
    }

    @Override
    public String toString() {
        return name;
    }
}
