package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Single byte ranges of a 1000-byte body, as a static file server answers them. */
class ByteRangeTest {
    private static final long SIZE = 1000;

    @ParameterizedTest
    @CsvSource({"bytes=0-187, 0, 187", "bytes=900-, 900, 999", "bytes=-100, 900, 999", "bytes=990-5000, 990, 999",
            "bytes=-5000, 0, 999", "bytes=999-999, 999, 999"})
    void aRangeInsideTheBodyIsServedAsAPart(String header, long first, long last) {
        ByteRange.Request r = ByteRange.of(Optional.of(header), SIZE);

        assertThat(r).isEqualTo(new ByteRange.Part(new ByteRange(first, last)));
        assertThat(((ByteRange.Part) r).range().contentRange(SIZE)).isEqualTo("bytes " + first + "-" + last + "/1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    void aRangeOutsideTheBodyIsUnsatisfiable(String header) {
        assertThat(ByteRange.of(Optional.of(header), SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "items=0-1", "bytes=5-3", "bytes=-", "bytes=abc"})
    void anythingElseServesTheWholeBody(String header) {
        assertThat(ByteRange.of(Optional.of(header), SIZE)).isInstanceOf(ByteRange.Whole.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1})
    void noHeaderServesTheWholeBody(long size) {
        assertThat(ByteRange.of(Optional.empty(), size)).isInstanceOf(ByteRange.Whole.class);
    }
}
