package dev.headend.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class DurationsProperties {

    @Property(tries = 500)
    void aFormattedDurationParsesBackToItself(@ForAll @LongRange(min = 0, max = 400L * 86_400_000) long millis) {
        Duration d = Duration.ofMillis(millis);

        assertThat(Durations.parse(Durations.format(d))).hasValue(d);
    }

    @Property(tries = 1000)
    void anyTextParsesOrIsRefusedWithoutAnException(@ForAll String text) {
        Durations.parse(text).ifPresent(d -> assertThat(d.isNegative()).isFalse());
    }
}
