package dev.headend;

import dev.headend.config.ConfigException;
import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.reload.HangupSignal;
import dev.headend.security.AdminToken;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Entry point: {@code serve} and {@code demo}. */
@Command(name = "headend", mixinStandardHelpOptions = true, version = "Headend 0.1",
        description = "Self-hosted live stream gateway.",
        subcommands = {Headend.Serve.class, Headend.Demo.class})
public final class Headend {
    private Headend() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new Headend()).execute(args));
    }

    /** Runs the server with an operator's configuration. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve the channels of a configuration file (or HEADEND_CONFIG).")
    static final class Serve implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "YAML configuration; defaults to $HEADEND_CONFIG")
        Path config;

        @Override
        public Integer call() throws Exception {
            String fromEnv = System.getenv("HEADEND_CONFIG");
            Path file = config != null ? config : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : null;
            return run(file, HeadendServer.Mode.SERVE);
        }
    }

    /** Runs the server with the bundled demo channels. */
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Serve the demo channels of config/demo.yml (generating the demo clip if absent).")
    static final class Demo implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/demo.yml",
                description = "demo configuration (default: ${DEFAULT-VALUE})")
        Path config;

        @Override
        public Integer call() throws Exception {
            return run(config, HeadendServer.Mode.DEMO);
        }
    }

    /**
     * How the operator gets the admin token. Its text is printed on the console (never through
     * the log) when it was just generated, and at every demo start; otherwise only where it is.
     */
    static String adminTokenNotice(AdminToken token, HeadendServer.Mode mode) {
        if (token.origin() == AdminToken.Origin.CONFIGURED) {
            return "  Admin token: the one configured (admin_token / HEADEND_ADMIN_TOKEN)";
        }
        Path file = token.file().orElseThrow();
        if (token.generated() || mode == HeadendServer.Mode.DEMO) {
            return "  Admin token" + (token.generated() ? " (generated now)" : "") + ": " + token.secret().reveal()
                    + "\n  (kept in " + file + "; read it again with: cat " + file + ")";
        }
        return "  Admin token: kept in " + file + " (read it with: cat " + file + ")";
    }

    /**
     * Loads the configuration, starts the server (which first checks FFmpeg) and blocks until
     * the JVM is asked to stop (SIGTERM, Ctrl-C), then stops every pipeline. SIGHUP reloads the
     * configuration file.
     */
    static int run(Path configFile, HeadendServer.Mode mode) throws Exception {
        HeadendServer server;
        try {
            ConfigLoader loader = new ConfigLoader(System.getenv());
            HeadendConfig config = configFile == null ? loader.environmentOnly() : loader.load(configFile);
            server = new HeadendServer(config, loader, mode);
        } catch (ConfigException e) {
            System.err.println("headend: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "shutdown"));
        try {
            server.start();
        } catch (ConfigException e) {
            System.err.println("headend: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("headend: cannot start: " + e.getMessage());
            return 1;
        }
        server.reloader().ifPresent(HangupSignal::install);
        System.out.println();
        System.out.println("  Headend is running: " + server.url() + "/");
        System.out.println("  API: " + server.url() + "/api/channels   Stop: Ctrl-C");
        System.out.println(adminTokenNotice(server.adminToken(), mode));
        System.out.println();
        stopped.await();
        return 0;
    }
}
