package dev.headend.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static NodeReport node(String id, String state, int pipelines, double cpu, int viewers) {
        return new NodeReport(id, "http://" + id, state, pipelines, viewers, cpu, 0);
    }

    @Test
    void fewestPipelinesWins() {
        assertThat(Placement.choose(List.of(node("a", "serving", 3, 0.1, 0), node("b", "serving", 1, 0.9, 50),
                node("c", "serving", 2, 0.0, 0)))).map(NodeReport::id).contains("b");
    }

    @Test
    void thenLowerCpuInTenthsThenFewerViewersThenId() {
        assertThat(Placement.choose(List.of(node("a", "serving", 1, 0.52, 0), node("b", "serving", 1, 0.31, 9))))
                .map(NodeReport::id).contains("b");
        assertThat(Placement.choose(List.of(node("a", "serving", 1, 0.31, 5), node("b", "serving", 1, 0.34, 2))))
                .map(NodeReport::id).contains("b");
        assertThat(Placement.choose(List.of(node("b", "serving", 1, 0.3, 2), node("a", "serving", 1, 0.3, 2))))
                .map(NodeReport::id).contains("a");
    }

    @Test
    void unknownCpuCountsAsIdleAndOnlyServingNodesAreChosen() {
        assertThat(Placement.choose(List.of(node("a", "serving", 0, 0.2, 0), node("b", "serving", 0, -1, 0))))
                .map(NodeReport::id).contains("b");
        assertThat(Placement.choose(List.of(node("a", "draining", 0, 0, 0), node("b", "serving", 4, 0.9, 9))))
                .map(NodeReport::id).contains("b");
        assertThat(Placement.choose(List.of(node("a", "draining", 0, 0, 0)))).isEmpty();
    }
}
