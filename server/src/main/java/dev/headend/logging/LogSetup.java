package dev.headend.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's logging, set up in code (found by Logback through {@code META-INF/services}):
 * one console appender, {@code HH:mm:ss.SSS LEVEL Logger - message}, every message and stack
 * trace through the secret masking; Jetty and Flyway at WARN; the root level from {@code
 * HEADEND_LOG_LEVEL} (INFO by default). In code rather than in {@code logback.xml} because
 * reading an XML configuration sets up an XML parser, about a tenth of a second of a start-up
 * that should stay under a second. A file named by {@code -Dlogback.configurationFile} still
 * replaces all of this.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %maskedMsg%n%maskedEx";
    private static final String LEVEL_ENV = "HEADEND_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // the context's conversion rules, as <conversionRule> declares them: every pattern of the context knows them
        Map<String, Supplier<DynamicConverter<?>>> rules = new HashMap<>();
        rules.put("maskedMsg", MaskedMessageConverter::new);
        rules.put("maskedEx", MaskedThrowableConverter::new);
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv(LEVEL_ENV), Level.INFO));
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
