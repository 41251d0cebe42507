package dev.headend.web.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The relayed playlist carries the viewer's token in every segment URI, and nowhere else. */
class PeerRelayTest {
    @Test
    void everySegmentUriGetsTheToken() {
        String owner = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2.000,\n7.ts\n"
                + "#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n8.ts\n";

        String relayed = new String(PeerRelay.withToken(owner.getBytes(StandardCharsets.UTF_8), "TOKEN"),
                StandardCharsets.UTF_8);

        assertThat(relayed).isEqualTo("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2.000,\n"
                + "7.ts?s=TOKEN\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n8.ts?s=TOKEN\n");
    }

    @Test
    void anEmptyPlaylistStaysAsItIs() {
        assertThat(PeerRelay.withToken(new byte[0], "T")).isEmpty();
    }
}
