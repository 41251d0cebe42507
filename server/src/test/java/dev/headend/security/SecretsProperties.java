package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** Whatever a password or token looks like, a URL carrying it never comes out of the mask with it. */
class SecretsProperties {

    @Property(tries = 2000)
    void userInfoNeverSurvives(
            @ForAll @AlphaChars @NumericChars @Chars({'!', '$', '&', '(', ')', '*', '+', ',', ';', '=', '%', '@', '~'})
            @StringLength(min = 6, max = 40) String password,
            @ForAll @AlphaChars @StringLength(min = 1, max = 12) String user,
            @ForAll("schemes") String scheme) {
        String url = scheme + "://" + user + ":" + password + "@camera.example:554/live/main";
        String message = "[error] " + url + ": Connection refused";

        assertThat(Secrets.mask(message)).doesNotContain(user + ":" + password)
                .isEqualTo("[error] " + scheme + "://***@camera.example:554/live/main: Connection refused");
    }

    @Property(tries = 2000)
    void credentialParametersNeverSurvive(
            @ForAll @AlphaChars @NumericChars @Chars({'-', '_', '.', '%', '~', '+', '/'})
            @StringLength(min = 6, max = 60) String token,
            @ForAll("credentialNames") String name,
            @ForAll("plainNames") String other) {
        String url = "http://iptv.example/get.php?" + other + "=1&" + name + "=" + token + "&type=m3u";

        assertThat(Secrets.mask(url)).isEqualTo("http://iptv.example/get.php?" + other + "=1&" + name + "=***&type=m3u");
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("rtsp", "rtsps", "http", "https", "srt", "rtmp", "udp", "HTTP");
    }

    /** Parameter names that carry no credential: none holds pass, pwd, token, key, auth, sig or secret. */
    @Provide
    Arbitrary<String> plainNames() {
        return Arbitraries.of("user", "username", "type", "output", "channel", "format", "quality", "id");
    }

    @Provide
    Arbitrary<String> credentialNames() {
        return Arbitraries.of("password", "pass", "pwd", "token", "key", "auth", "sig", "secret",
                "api_key", "apikey", "auth_token", "access_token", "X-Amz-Signature", "PASSWORD");
    }
}
