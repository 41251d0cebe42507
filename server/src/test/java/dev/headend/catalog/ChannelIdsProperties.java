package dev.headend.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.channel.Channel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever text an M3U entry holds, the id made of it is a valid channel id, or there is none. */
class ChannelIdsProperties {
    @Property(tries = 5000)
    void everyNormalisedIdIsValid(@ForAll("texts") String text) {
        ChannelIds.normalise(text).ifPresent(id -> assertThat(Channel.validId(id)).as("'%s' from '%s'", id, text)
                .isTrue());
    }

    @Property(tries = 2000)
    void anyTextWithALetterOrDigitGivesAnId(@ForAll("texts") String text, @ForAll("alnum") char c) {
        assertThat(ChannelIds.normalise(text + c)).isPresent();
    }

    @Property(tries = 2000)
    void aValidIdIsItsOwnNormalisation(@ForAll("validIds") String id) {
        assertThat(ChannelIds.normalise(id)).hasValue(id.replaceAll("-+", "-").replaceAll("-$", ""));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("aZ09_.-/%;|$()` \\\u0000\u00e9\u0301\u00df\u2122\uff21\n{}\"'")
                        .ofMaxLength(150));
    }

    @Provide
    Arbitrary<Character> alnum() {
        return Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9');
    }

    @Provide
    Arbitrary<String> validIds() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-')
                .ofMaxLength(63);
        return first.flatMap(f -> rest.map(r -> f + r));
    }
}
