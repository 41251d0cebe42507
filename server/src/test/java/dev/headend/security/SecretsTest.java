package dev.headend.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "rtsp://admin:S3cretPass@127.0.0.1:554/stream: Connection refused"
                    + " | rtsp://***@127.0.0.1:554/stream: Connection refused",
            "http://viewer:Http%40Secret@host/missing.ts: Server returned 404 Not Found"
                    + " | http://***@host/missing.ts: Server returned 404 Not Found",
            "Error opening input http://viewer:Http@Secret@host:8080/a.ts"
                    + " | Error opening input http://***@host:8080/a.ts",
            "rtsps://onlyuser@cam/x and srt://u:p@h:9000?streamid=1 | rtsps://***@cam/x and srt://***@h:9000?streamid=1",
            "quoted 'RTSP://Admin:Pw@Cam/Live' | quoted 'RTSP://***@Cam/Live'",
            "http://host/live.m3u8?token=abc123&quality=hd | http://host/live.m3u8?token=***&quality=hd",
            "http://h/p?user=bob&password=hunter2;pwd=x&pass=y | http://h/p?user=bob&password=***;pwd=***&pass=***",
            "http://h/p?api_key=K&auth=A&sig=S&X-Amz-Signature=Z&secret=Q&access_token=T"
                    + " | http://h/p?api_key=***&auth=***&sig=***&X-Amz-Signature=***&secret=***&access_token=***",
            "http://h/p?channel=7&name=news | http://h/p?channel=7&name=news",
            "GET /s/AbCdEfGhIjKlMnOpQrStUv_-12/auto/v5 failed | GET /s/***/auto/v5 failed",
            "file:/srv/media/clip.mp4: No such file or directory | file:/srv/media/clip.mp4: No such file or directory",
            "mail me at ops@example.com | mail me at ops@example.com"})
    void credentialsAreMaskedAndEverythingElseKept(String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked);
        assertThat(Secrets.mask(Secrets.mask(text))).as("masking twice changes nothing more").isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "plain text without secrets"})
    void textWithoutCredentialsIsUnchanged(String text) {
        assertThat(Secrets.mask(text)).isEqualTo(text);
        assertThat(Secrets.mask(null)).isNull();
    }
}
