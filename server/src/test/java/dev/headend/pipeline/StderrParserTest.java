package dev.headend.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StderrParserTest {
    private final List<ProgressStats> progress = new ArrayList<>();
    private final StderrParser parser = new StderrParser(progress::add);

    @Test
    void progressBlockBecomesStats() {
        feed("""
                frame=25
                fps=24.80
                stream_0_0_q=28.0
                bitrate=1279.7kbits/s
                total_size=163840
                out_time_us=1024000
                out_time_ms=1024000
                out_time=00:00:01.024000
                dup_frames=0
                drop_frames=0
                speed=0.974x
                progress=continue
                """);

        assertThat(progress).containsExactly(new ProgressStats(25, 24.80, 0.974, 1279.7, 0, 0));
    }

    @Test
    void everyBlockIsReportedOnItsOwn() {
        feed("""
                frame=1
                fps=0.00
                bitrate=N/A
                dup_frames=0
                drop_frames=0
                speed=N/A
                progress=continue
                frame=38
                fps=24.85
                bitrate= 507.6kbits/s
                dup_frames=2
                drop_frames=3
                speed=0.942x
                progress=end
                """);

        assertThat(progress).containsExactly(
                new ProgressStats(1, 0, 0, 0, 0, 0),
                new ProgressStats(38, 24.85, 0.942, 507.6, 3, 2));
    }

    @Test
    void unavailableSpeedIsZero() {
        feed("""
                frame=0
                fps=0.00
                bitrate=N/A
                speed=N/A
                progress=continue
                """);

        assertThat(progress).singleElement().satisfies(p -> {
            assertThat(p.speed()).isZero();
            assertThat(p.bitrateKbps()).isZero();
        });
    }

    @Test
    void reasonIsTheLastErrorWithoutItsContextPrefix() {
        feed("""
                [tcp @ 0x563599d14f80] [error] Connection to tcp://192.0.2.10:554?timeout=10000000 failed: Connection refused
                [error] rtsp://192.0.2.10:554/live: Connection refused
                """);
        assertThat(parser.reason()).isEqualTo("rtsp://192.0.2.10:554/live: Connection refused");

        parser.line("[tcp @ 0x55d5c5a0f2c0] [error] Connection to tcp://192.0.2.10:554 failed: No route to host");
        assertThat(parser.reason()).isEqualTo("Connection to tcp://192.0.2.10:554 failed: No route to host");
    }

    @Test
    void warningIsTheReasonOnlyWhenNoErrorWasSeen() {
        assertThat(parser.reason()).isNull();

        parser.line("[mpegts @ 0x55d5c5a0f2c0] [warning] PES packet size mismatch");
        assertThat(parser.reason()).isEqualTo("PES packet size mismatch");

        parser.line("[http @ 0x55d5c5a0f2c0] [error] HTTP error 404 Not Found");
        parser.line("[hls @ 0x55d5c5a0f2c0] [warning] Failed to reload playlist 0");
        assertThat(parser.reason()).isEqualTo("HTTP error 404 Not Found");
    }

    @Test
    void fatalLinesCountAsErrors() {
        parser.line("[fatal] Invalid argument");

        assertThat(parser.reason()).isEqualTo("Invalid argument");
    }

    @Test
    void logLinesDoNotDisturbAProgressBlock() {
        feed("""
                frame=50
                [h264 @ 0x55d5c5a0f2c0] [warning] corrupt input
                fps=25.00
                speed=1.00x
                progress=continue
                """);

        assertThat(progress).containsExactly(new ProgressStats(50, 25.0, 1.0, 0, 0, 0));
        assertThat(parser.reason()).isEqualTo("corrupt input");
    }

    private void feed(String lines) {
        lines.lines().forEach(parser::line);
    }
}
