package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Any {@code Range} header is read without an exception into a part that lies inside the body,
 * the whole body, or unsatisfiable; a valid single range reads back as itself.
 */
class ByteRangeProperties {
    @Provide
    static Arbitrary<String> headers() {
        Arbitrary<String> rangeLike = Arbitraries.strings().withChars("bytes=-,0123456789 ").ofMaxLength(50);
        Arbitrary<String> numbers = Arbitraries.longs().map(n -> "bytes=" + n + "-" + (n / 3));
        return Arbitraries.oneOf(rangeLike, numbers, Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().numeric().ofMinLength(15).ofMaxLength(40).map(d -> "bytes=" + d + "-"));
    }

    @Property(tries = 3000)
    void anyHeaderGivesAPartInsideTheBodyOrTheWholeOrUnsatisfiable(
            @ForAll("headers") String header, @ForAll @LongRange(min = 0, max = 1L << 40) long size) {
        switch (ByteRange.of(Optional.of(header), size)) {
            case ByteRange.Part(ByteRange r) -> {
                assertThat(r.first()).isBetween(0L, r.last());
                assertThat(r.last()).isLessThan(size);
                assertThat(r.length()).isPositive();
            }
            case ByteRange.Whole w -> { }
            case ByteRange.Unsatisfiable u -> { }
        }
    }

    @Property(tries = 1000)
    void aRangeInsideTheBodyReadsBackAsItself(@ForAll @LongRange(min = 1, max = 1L << 40) long size,
            @ForAll @LongRange(min = 0, max = 1L << 40) long first, @ForAll @LongRange(min = 0, max = 1L << 40) long last) {
        Assume.that(first <= last && last < size);

        assertThat(ByteRange.of(Optional.of("bytes=" + first + "-" + last), size))
                .isEqualTo(new ByteRange.Part(new ByteRange(first, last)));
        assertThat(ByteRange.of(Optional.of("bytes=" + first + "-"), size))
                .isEqualTo(new ByteRange.Part(new ByteRange(first, size - 1)));
        assertThat(ByteRange.of(Optional.of("bytes=-" + (last - first + 1)), size))
                .isEqualTo(new ByteRange.Part(new ByteRange(size - (last - first + 1), size - 1)));
    }

    @Property(tries = 500)
    void aRangeStartingAtOrPastTheEndIsUnsatisfiable(@ForAll @LongRange(min = 0, max = 1L << 40) long size,
            @ForAll @LongRange(min = 0, max = 1L << 20) long past) {
        assertThat(ByteRange.of(Optional.of("bytes=" + (size + past) + "-"), size))
                .isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
