package dev.headend.media;

import static dev.headend.media.SampleTs.CHUNK;
import static dev.headend.media.SampleTs.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headend.support.NeedsFfmpeg;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@NeedsFfmpeg
class PlaylistWriterTest {
    private static final String SUFFIX = "?s=tok3n";
    /** Segments per run of the sample; the second run's first segment is number 7. */
    private static final long SECOND_RUN = 7;

    private static byte[] sample;

    private final List<Segment> closed = new ArrayList<>();

    @BeforeAll
    static void encodeSample() throws Exception {
        sample = SampleTs.sample();
    }

    @Test
    void rendersALiveMediaPlaylist() {
        SegmentStore store = store(6);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        Playlist p = Playlist.parse(PlaylistWriter.render(store.playlist(), SUFFIX));

        assertThat(p.header()).containsExactly("#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1",
                "#EXT-X-MEDIA-SEQUENCE:1", "#EXT-X-DISCONTINUITY-SEQUENCE:0", "#EXT-X-INDEPENDENT-SEGMENTS");
        List<Segment> listed = closed.subList(1, closed.size());
        assertThat(p.entries()).hasSize(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            Segment s = listed.get(i);
            Entry e = p.entries().get(i);
            assertThat(e.uri()).isEqualTo(s.sequence() + ".ts" + SUFFIX);
            assertThat(e.duration()).isCloseTo(s.duration(), within(0.0005));
            assertThat(e.programDateTime()).isEqualTo(s.programDateTime().truncatedTo(ChronoUnit.MILLIS));
            assertThat(e.discontinuity()).isFalse();
        }
        assertThat(p.ended()).isFalse();
    }

    @Test
    void segmentUrisTakeNoSuffixWhenNoneIsGiven() {
        SegmentStore store = store(6);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        Playlist p = Playlist.parse(PlaylistWriter.render(store.playlist(), ""));

        assertThat(p.entries()).extracting(Entry::uri).containsExactly("1.ts", "2.ts", "3.ts", "4.ts", "5.ts", "6.ts");
    }

    @Test
    void theStoreRendersEachPlaylistOnceAndEachSessionGetsItsOwnUris() {
        SegmentStore store = store(6);
        SampleTs.feed(store.newRun(1.0, closed::add).segmenter(), sample, CHUNK);

        PlaylistTemplate first = store.playlistTemplate();

        assertThat(store.playlistTemplate()).isSameAs(first);
        assertThat(first.render("?s=a")).isEqualTo(PlaylistWriter.render(store.playlist(), "?s=a"));
        assertThat(Playlist.parse(first.render("?s=b")).entries()).extracting(Entry::uri)
                .allMatch(uri -> uri.endsWith(".ts?s=b"));
        store.end();
        assertThat(store.playlistTemplate()).isNotSameAs(first);
        assertThat(store.playlistTemplate().render("")).endsWith("#EXT-X-ENDLIST\n");
    }

    @Test
    void emptyStoreGivesAPlaylistWithoutSegments() {
        Playlist p = Playlist.parse(PlaylistWriter.render(store(6).playlist(), SUFFIX));

        assertThat(p.header()).contains("#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-DISCONTINUITY-SEQUENCE:0");
        assertThat(p.entries()).isEmpty();
    }

    @Test
    void newRunIsTaggedAsADiscontinuityUntilItsFirstSegmentLeavesTheWindow() {
        List<Playlist> renders = liveRendersOfTwoRuns(store(3));

        assertThat(renders).extracting(Playlist::mediaSequence).contains(5L, 6L, 7L, 8L, 9L);
        for (Playlist p : renders) {
            long first = p.mediaSequence();
            assertThat(p.discontinuitySequence()).as("DISCONTINUITY-SEQUENCE with first segment %d", first)
                    .isEqualTo(first > SECOND_RUN ? 1 : 0);
            for (Entry e : p.entries()) {
                assertThat(e.discontinuity()).as("EXT-X-DISCONTINUITY before %s", e.uri())
                        .isEqualTo(e.uri().equals(SECOND_RUN + ".ts" + SUFFIX));
            }
        }
    }

    @Test
    void targetDurationIsConstantAndNoSegmentExceedsIt() {
        List<Playlist> renders = liveRendersOfTwoRuns(store(3));

        assertThat(renders).allSatisfy(p -> {
            assertThat(p.header()).contains("#EXT-X-TARGETDURATION:1");
            assertThat(p.entries()).hasSizeLessThanOrEqualTo(3)
                    .allSatisfy(e -> assertThat(Math.round(e.duration())).isLessThanOrEqualTo(1));
        });
    }

    @Test
    void endListAppearsOnlyOnceTheStoreHasEnded() {
        SegmentStore store = store(3);
        List<Playlist> live = liveRendersOfTwoRuns(store);

        store.end();
        Playlist ended = Playlist.parse(PlaylistWriter.render(store.playlist(), SUFFIX));

        assertThat(live).noneMatch(Playlist::ended);
        assertThat(ended.ended()).isTrue();
        assertThat(ended.entries()).extracting(Entry::uri)
                .containsExactly("11.ts" + SUFFIX, "12.ts" + SUFFIX, "13.ts" + SUFFIX);
    }

    /** Every distinct playlist rendered while two runs of the sample feed the store. */
    private static List<Playlist> liveRendersOfTwoRuns(SegmentStore store) {
        Set<String> renders = new LinkedHashSet<>();
        Runnable render = () -> renders.add(PlaylistWriter.render(store.playlist(), SUFFIX));
        SampleTs.feed(store.newRun(1.0, s -> { }).segmenter(), sample, CHUNK, render);
        SampleTs.feed(store.newRun(1.0, s -> { }).segmenter(), sample, CHUNK, render);
        return renders.stream().map(Playlist::parse).toList();
    }

    record Entry(String uri, double duration, Instant programDateTime, boolean discontinuity) {}

    /** A rendered playlist split into its header tags and its segment entries. */
    record Playlist(List<String> header, List<Entry> entries, boolean ended) {
        static Playlist parse(String text) {
            assertThat(text).endsWith("\n");
            List<String> header = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            boolean ended = false;
            double duration = -1;
            Instant pdt = null;
            boolean discontinuity = false;
            for (String line : text.split("\n")) {
                if (line.equals("#EXT-X-ENDLIST")) {
                    ended = true;
                } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                    discontinuity = true;
                } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                    pdt = Instant.parse(line.substring(line.indexOf(':') + 1));
                } else if (line.startsWith("#EXTINF:")) {
                    assertThat(line).matches("#EXTINF:\\d+\\.\\d{3},");
                    duration = Double.parseDouble(line.substring(8, line.length() - 1));
                } else if (line.startsWith("#")) {
                    assertThat(entries).as("header tag after the first segment: " + line).isEmpty();
                    header.add(line);
                } else {
                    assertThat(duration).as("EXTINF before " + line).isPositive();
                    assertThat(pdt).as("PROGRAM-DATE-TIME before " + line).isNotNull();
                    entries.add(new Entry(line, duration, pdt, discontinuity));
                    duration = -1;
                    pdt = null;
                    discontinuity = false;
                }
            }
            return new Playlist(header, entries, ended);
        }

        long mediaSequence() {
            return tag("#EXT-X-MEDIA-SEQUENCE:");
        }

        long discontinuitySequence() {
            return tag("#EXT-X-DISCONTINUITY-SEQUENCE:");
        }

        private long tag(String prefix) {
            return header.stream().filter(h -> h.startsWith(prefix)).mapToLong(h -> Long.parseLong(
                    h.substring(prefix.length()))).findFirst().orElseThrow();
        }
    }
}
