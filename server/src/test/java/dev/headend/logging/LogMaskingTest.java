package dev.headend.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.LogCapture;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whatever code logs a secret, in a message, an argument or an exception, the log line hides it. */
class LogMaskingTest {
    private static final Logger log = LoggerFactory.getLogger(LogMaskingTest.class);

    @Test
    void messagesArgumentsAndExceptionsAreMasked() {
        try (LogCapture capture = new LogCapture()) {
            log.warn("opening rtsp://admin:Hunter2Pass@10.0.0.7/live for {}", "http://h/x.ts?token=Tok3nLogged");
            log.error("failed", new IOException("cannot read http://u:Caus3Pass@h/a.ts",
                    new IllegalStateException("nested ?password=N3sted")));

            assertThat(capture.text())
                    .contains("opening rtsp://***@10.0.0.7/live for http://h/x.ts?token=***")
                    .contains("java.io.IOException: cannot read http://***@h/a.ts")
                    .contains("?password=***")
                    .doesNotContain("Hunter2Pass", "Tok3nLogged", "Caus3Pass", "N3sted");
        }
    }
}
