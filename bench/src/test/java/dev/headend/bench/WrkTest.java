package dev.headend.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkTest {
    private static final String OK = """
            Running 1s test @ http://127.0.0.1:18099/a.ts
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.78ms    1.47ms  15.77ms   82.44%
                Req/Sec    15.66k     1.83k   17.80k    85.00%
              Latency Distribution
                 50%    1.59ms
                 75%    2.38ms
                 90%    3.37ms
                 99%    7.39ms
              31220 requests in 1.00s, 4.66GB read
            Requests/sec:  31093.39
            Transfer/sec:      4.64GB
            """;

    private static final String NOT_FOUND = """
            Running 1s test @ http://127.0.0.1:18099/missing.ts
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   722.78us  798.64us   5.47ms   84.37%
                Req/Sec    58.90k     3.71k   64.47k    55.00%
              Latency Distribution
                 50%  288.00us
                 75%    1.10ms
                 90%    1.87ms
                 99%    1.45s
              117011 requests in 1.00s, 34.37MB read
              Socket errors: connect 0, read 2, write 0, timeout 3
              Non-2xx or 3xx responses: 117011
            Requests/sec: 116833.18
            Transfer/sec:     34.32MB
            """;

    private static final String URL = "http://127.0.0.1:8080/live/a/1.ts";

    @Test
    void readsRequestRateLatencyPercentilesAndRequestCount() {
        assertThat(Wrk.parse(URL, OK)).isEqualTo(new Wrk(URL, 31093.39, 1.59, 7.39, 31220, 0));
    }

    @Test
    void convertsMicrosecondsAndSecondsAndCountsNon2xxAndSocketErrors() {
        Wrk w = Wrk.parse(URL, NOT_FOUND);
        assertThat(w.p50Ms()).isEqualTo(0.288);
        assertThat(w.p99Ms()).isEqualTo(1450.0);
        assertThat(w.errors()).isEqualTo(117011 + 5);
        assertThatThrownBy(w::withoutErrors).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("117016 errors").hasMessageContaining(URL);
    }

    @Test
    void refusesOutputWithoutASummary() {
        assertThatThrownBy(() -> Wrk.parse(URL, "unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Connection refused");
    }
}
