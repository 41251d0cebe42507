package dev.headend.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.Test;

/** How the Jetty server is configured, where that bounds its memory. */
class HttpServerTest {
    @Test
    void connectionsKeepNoCacheOfRequestHeaders() {
        HttpServer server = new HttpServer(HttpSettings.of("127.0.0.1", 0), RouterTest.router(List.of()));

        HttpConnectionFactory http =
                server.jetty().getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class);

        // at Jetty's default (1024) each keep-alive connection holds about 100 KB of heap
        assertThat(http.getHttpConfiguration().getHeaderCacheSize()).isZero();
    }
}
