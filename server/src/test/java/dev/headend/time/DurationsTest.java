package dev.headend.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "30, 30000", "0, 0",
            "' 7 ms', 7"})
    void aNumberWithAUnitOrABareNumberOfSeconds(String text, long millis) {
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-1s", "1.5s", "2min", "PT30S", "1 h 2 m", "9999999999999s"})
    void anythingElseIsNoDuration(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "1500, 1500ms", "30000, 30s", "300000, 5m", "86400000, 1d", "90000, 90s", "7200000, 2h"})
    void theShortestExactNotationReadsBackAsTheSameDuration(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0 s", "4249, 4.2 s", "120000, 120.0 s"})
    void messagesShowSecondsWithOneDecimal(long millis, String text) {
        assertThat(Durations.seconds(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
