package dev.headend.reload;

import dev.headend.catalog.ChannelRegistry;
import dev.headend.config.ConfigException;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.config.Setting;
import dev.headend.settings.LiveSettings;
import dev.headend.stream.Reconfiguration;
import dev.headend.time.TimeSource;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file the server was started from and applies what can change
 * while it runs: the file's channel list and every channel's definition, slate looks included,
 * and its templates (see {@link ChannelRegistry#reload}; channels created through the API stay),
 * and the server settings: live ones apply at once (unless
 * a value set through the API overrides the file's), the others at the next start; those that
 * differ from the ones the server started with are reported.
 *
 * <p>Invariants: a file that fails to load or validate changes nothing (the error says why);
 * reloads are serialized, and none holds the lock for longer than the bounded read of the file
 * ({@link ConfigLoader#load}: only a regular file is opened, the read is given up after a few
 * seconds) plus applying it, so no reload can block the next one or the shutdown; settings are
 * always compared with those the server started with.
 */
public final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final ConfigLoader loader;
    private final Path file;
    private final LiveSettings settings;
    private final ChannelRegistry channels;
    private final Consumer<ReloadReport> onReload;
    private final TimeSource time;

    /** @param onReload told of every applied reload (the event log) */
    public ConfigReloader(ConfigLoader loader, Path file, LiveSettings settings, ChannelRegistry channels,
            Consumer<ReloadReport> onReload, TimeSource time) {
        this.loader = loader;
        this.file = file;
        this.settings = settings;
        this.channels = channels;
        this.onReload = onReload;
        this.time = time;
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the file and applies it.
     *
     * @throws ConfigException when the file cannot be read or is invalid; nothing changed
     */
    public synchronized ReloadReport reload() {
        HeadendConfig config;
        LiveSettings.Update update;
        try {
            config = loader.load(file);
            update = settings.reloaded(config.settings());
        } catch (ConfigException e) {
            log.warn("configuration reload refused, the running configuration is unchanged: {}", e.getMessage());
            throw e;
        }
        List<String> restartRequired = update.pendingRestart().stream().map(Setting::key).toList();
        List<String> appliedLive = update.appliedLive().stream().map(Setting::key).toList();
        Reconfiguration changes = channels.reload(config);
        if (!restartRequired.isEmpty()) {
            log.warn("configuration reload: server setting(s) {} changed; they take effect at the next start",
                    restartRequired);
        }
        if (!appliedLive.isEmpty()) {
            log.info("configuration reload: server setting(s) {} applied", appliedLive);
        }
        ReloadReport report = new ReloadReport(time.wallClock(), file, changes, appliedLive, restartRequired);
        onReload.accept(report);
        return report;
    }
}
