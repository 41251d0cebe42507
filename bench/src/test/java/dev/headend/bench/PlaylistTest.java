package dev.headend.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaylistTest {
    @Test
    void numbersSegmentsFromTheMediaSequenceAndKeepsTheirTags() {
        Playlist p = Playlist.parse("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:1
                #EXT-X-MEDIA-SEQUENCE:41
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:05.100Z
                #EXTINF:1.000,
                41.ts?s=AAAAAAAAAAAAAAAAAAAAAA
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:06.600Z
                #EXTINF:0.480,
                42.ts?s=AAAAAAAAAAAAAAAAAAAAAA
                """);
        assertThat(p.entries()).containsExactly(
                new Playlist.Entry(41, "41.ts?s=AAAAAAAAAAAAAAAAAAAAAA", false,
                        Instant.parse("2026-01-02T03:04:05.100Z"), 1.0),
                new Playlist.Entry(42, "42.ts?s=AAAAAAAAAAAAAAAAAAAAAA", true,
                        Instant.parse("2026-01-02T03:04:06.600Z"), 0.48));
        assertThat(p.newest().sequence()).isEqualTo(42);
    }
}
