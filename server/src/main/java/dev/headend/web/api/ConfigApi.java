package dev.headend.web.api;

import dev.headend.config.ConfigException;
import dev.headend.reload.ConfigReloader;
import dev.headend.reload.ReloadReport;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /api/config/reload}: re-reads the configuration file and applies the channel changes. */
public final class ConfigApi implements RouteGroup {
    private final Optional<ConfigReloader> reloader;

    /** @param reloader empty when the server was started without a configuration file */
    public ConfigApi(Optional<ConfigReloader> reloader) {
        this.reloader = reloader;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/config/reload", this::reload));
    }

    /**
     * 200 with what changed; 422 {@code invalid_config} when the file is unreadable or invalid
     * (nothing changed); 409 {@code no_config_file} when there is no file to reload.
     */
    private void reload(Exchange ex) {
        ConfigReloader r = reloader.orElseThrow(() -> new ApiException(409, "no_config_file",
                "the server was started without a configuration file: there is nothing to reload"));
        ReloadReport report;
        try {
            report = r.reload();
        } catch (ConfigException e) {
            throw new ApiException(422, "invalid_config", e.getMessage() + "; the running configuration is unchanged");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", true);
        body.put("file", report.file().toString());
        body.put("at", report.at().toString());
        body.put("channels", report.channels());
        body.put("applied_live", report.appliedLive());
        body.put("restart_required", report.restartRequired());
        ex.json(200, body);
    }
}
