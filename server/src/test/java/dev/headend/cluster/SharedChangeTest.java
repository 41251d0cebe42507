package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.sync.SharedItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedChangeTest {
    @Test
    void aMessageReadsWithItsItemsSetAndRemoved() {
        String items = SharedChange.itemsJson(List.of(SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "8"),
                SharedItem.removed(SharedItem.Kind.CHANNEL, "cam")));

        assertThat(SharedChange.parse("{\"seq\":12,\"node\":\"node-a\",\"items\":" + items + "}")).contains(
                new SharedChange(12, "node-a", List.of(SharedItem.set(SharedItem.Kind.SETTING, "window_segments", "8"),
                        SharedItem.removed(SharedItem.Kind.CHANNEL, "cam"))));
    }

    @Test
    void aStateEntryReadsWithItsNumber() {
        assertThat(SharedChange.parseState("{\"seq\":4,\"node\":\"b\",\"kind\":\"channel\",\"key\":\"cam\","
                + "\"value\":\"{\\\"version\\\":2}\"}")).contains(new SharedItem.Versioned(
                        SharedItem.set(SharedItem.Kind.CHANNEL, "cam", "{\"version\":2}"), 4));
    }

    @Test
    void whatThisVersionCannotReadIsLeftOut() {
        assertThat(SharedChange.parse("not json")).isEmpty();
        assertThat(SharedChange.parse("{\"seq\":\"x\",\"items\":[]}")).isEmpty();
        assertThat(SharedChange.parse("{\"seq\":1,\"items\":[{\"kind\":\"webhook\",\"key\":\"w\"}]}")).isEmpty();
        assertThat(SharedChange.parse("{\"seq\":1,\"items\":[{\"kind\":\"setting\",\"key\":3}]}")).isEmpty();
        assertThat(SharedChange.parseState("{\"kind\":\"setting\",\"key\":\"k\",\"value\":\"v\"}")).isEmpty();
    }
}
