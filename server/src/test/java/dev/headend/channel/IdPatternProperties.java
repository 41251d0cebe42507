package dev.headend.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a request asks for, a template's placeholder only ever takes a harmless value. */
class IdPatternProperties {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Property(tries = 5000)
    void anyAcceptedValueIsOneTo64SafeCharactersAndNeverADotNameOrAnOption(@ForAll("ids") String id,
            @ForAll("patterns") String pattern) {
        IdPattern p = IdPattern.parse(pattern);

        p.match(id).ifPresent(value -> {
            assertThat(value).matches(SAFE);
            assertThat(value).isNotIn(".", "..").doesNotStartWith("-");
            assertThat(p.prefix() + value + p.suffix()).isEqualTo(id);
        });
    }

    @Property(tries = 2000)
    void everySafeValueStartingWithALetterOrDigitIsAccepted(@ForAll("safeValues") String value,
            @ForAll("patterns") String pattern) {
        IdPattern p = IdPattern.parse(pattern);

        assertThat(p.match(p.prefix() + value + p.suffix())).hasValue(value);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("cam-{n}", "ace-{hash}", "{n}", "{n}-hd", "tv-{id}-x");
    }

    /** Ids made of the prefixes and suffixes, safe characters and hostile ones. */
    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> body = Arbitraries.strings().withChars("aZ09_.-/%;|$()` \\\u0000\u00e9\n{}")
                .ofMinLength(0).ofMaxLength(80);
        return Arbitraries.of("", "cam-", "ace-", "tv-").flatMap(prefix -> body.flatMap(b ->
                Arbitraries.of("", "-hd", "-x").map(suffix -> prefix + b + suffix)));
    }

    @Provide
    Arbitrary<String> safeValues() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars('_', '.', '-').ofMaxLength(63);
        return first.flatMap(f -> rest.map(r -> f + r));
    }
}
