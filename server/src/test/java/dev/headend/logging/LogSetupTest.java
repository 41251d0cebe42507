package dev.headend.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    @Test
    void logbackIsSetUpInCodeWithTheMaskingConsoleAndQuietLibraries() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = (OutputStreamAppender<?>) root.getAppender("CONSOLE");
        assertThat(console).isNotNull();
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(LogSetup.PATTERN)
                .contains("%maskedMsg").contains("%maskedEx");
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getLevel()).isEqualTo(Level.toLevel(System.getenv("HEADEND_LOG_LEVEL"), Level.INFO));
    }
}
