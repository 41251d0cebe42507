package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * Any query string decodes into parameters or is refused with 400 {@code bad_request}, nothing
 * else; encoded parameters decode back to themselves, and the first of repeated ones is the one
 * a route sees.
 */
class QueryParametersProperties {
    @Provide
    static Arbitrary<String> queries() {
        Arbitrary<String> queryLike = Arbitraries.strings().withChars("%&=+;?aZ09fFgG\u00e9 ").ofMaxLength(80);
        return Arbitraries.oneOf(queryLike, Arbitraries.strings().ofMaxLength(120));
    }

    @Property(tries = 3000)
    void anyQueryDecodesOrIsABadRequest(@ForAll("queries") String query) {
        try {
            Http.queryParameters(query);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_request");
            assertThat(e.getMessage()).matches("[ -~]*");
        }
    }

    @Property(tries = 1000)
    void encodedParametersDecodeBackToThemselves(
            @ForAll @Size(max = 5) Map<@StringLength(min = 1, max = 20) String, @StringLength(max = 40) String> params,
            @ForAll @StringLength(max = 40) String repeated) {
        Map<String, String> sent = new LinkedHashMap<>(params);
        String query = sent.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String withRepeat = query + (query.isEmpty() ? "" : "&") + sent.keySet().stream()
                .map(k -> encode(k) + "=" + encode(repeated)).collect(Collectors.joining("&"));

        sent.forEach((k, v) -> assertThat(Http.queryParameters(withRepeat).getValue(k)).isEqualTo(v));
    }

    @Test
    void badPercentEncodingIsABadRequest() {
        for (String q : new String[] {"s=%zz", "s=%", "s=%e9", "%c3%28=1"}) {
            assertThatThrownBy(() -> Http.queryParameters(q)).as(q).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
