package dev.headend.reload;

import dev.headend.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration when the process receives SIGHUP, the usual way to ask a daemon to
 * re-read its configuration. The reload runs on its own virtual thread (never on the JVM's
 * signal thread); its outcome, or why it was refused, goes to the log.
 */
public final class HangupSignal {
    private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {}

    public static void install(ConfigReloader reloader) {
        Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().name("sighup-reload").start(() -> {
            log.info("SIGHUP: reloading {}", reloader.file());
            try {
                reloader.reload();
            } catch (ConfigException e) {
                log.debug("reload refused", e);
            } catch (RuntimeException e) {
                log.error("configuration reload failed", e);
            }
        }));
    }
}
