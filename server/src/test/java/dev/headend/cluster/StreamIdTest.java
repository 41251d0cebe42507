package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StreamIdTest {
    @Property
    void aPositionOrdersAsItsIdAndGivesItBack(@ForAll @LongRange(max = (1L << 43) - 1) long millisA,
            @ForAll @LongRange(max = (1L << 20) - 1) long seqA, @ForAll @LongRange(max = (1L << 43) - 1) long millisB,
            @ForAll @LongRange(max = (1L << 20) - 1) long seqB) {
        StreamId a = new StreamId(millisA, seqA);
        StreamId b = new StreamId(millisB, seqB);
        int byId = millisA != millisB ? Long.compare(millisA, millisB) : Long.compare(seqA, seqB);
        assertThat(Integer.signum(Long.compare(a.position(), b.position()))).isEqualTo(Integer.signum(byId));
        assertThat(StreamId.of(a.position())).isEqualTo(a);
        assertThat(StreamId.parse(a.toString())).contains(a);
    }

    @Test
    void theTextOfARedisIdIsParsed() {
        assertThat(StreamId.parse("1764680000000-3")).contains(new StreamId(1_764_680_000_000L, 3));
        assertThat(StreamId.ZERO.toString()).isEqualTo("0-0");
        assertThat(StreamId.ZERO.position()).isZero();
    }

    @Test
    void whatIsNotAnIdWithinTheBoundsIsRefused() {
        for (String text : new String[] {"", "12", "-1-0", "1-", "a-b", "1-2-3", " 1-2", "99999999999999999999-0",
                (1L << 43) + "-0", "1-" + (1L << 20)}) {
            assertThat(StreamId.parse(text)).as(text).isEqualTo(Optional.empty());
        }
        assertThatThrownBy(() -> new StreamId(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamId(0, 1L << 20)).isInstanceOf(IllegalArgumentException.class);
    }
}
