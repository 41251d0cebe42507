package dev.headend.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client on one keep-alive socket to the server under test, for
 * load generation on virtual threads: one connection per simulated viewer, every body read to
 * its end. Handles what Headend sends: Content-Length and chunked bodies. (The JDK HttpClient
 * multiplexes all its connections through one selector thread, which can make the client,
 * not the server, the limit at thousands of viewers.)
 */
final class HttpConn implements Closeable {
    /** Status, Location header, body length, and the body itself when asked for. */
    record Response(int status, String location, long length, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final int timeoutMs;
    private final byte[] scratch = new byte[8 * 1024];
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConn(int port, int timeoutMs) {
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** GETs a path (with query) and reads the whole response; keeps the body only if asked. */
    Response get(String path, boolean keepBody) throws IOException {
        if (socket == null) {
            connect();
        }
        Map<String, String> headers = request(path);
        int status = Integer.parseInt(headers.get(":status"));
        ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream() : null;
        long length;
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            length = copy(in, Long.parseLong(contentLength), body);
        } else {
            length = copy(body(headers), Long.MAX_VALUE, body);
        }
        if ("close".equalsIgnoreCase(headers.get("connection")) || contentLength == null
                && !"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            close();
        }
        return new Response(status, headers.get("location"), length, body == null ? null : body.toByteArray());
    }

    /** GETs an endless body (continuous TS): returns the body as it arrives, chunk framing removed. */
    InputStream stream(String path) throws IOException {
        connect();
        Map<String, String> headers = request(path);
        if (!headers.get(":status").equals("200")) {
            throw new IOException("GET " + path + ": HTTP " + headers.get(":status"));
        }
        return body(headers);
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMs);
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
        out = socket.getOutputStream();
    }

    /** Sends the request; returns the response headers (lower-case names) plus ":status". */
    private Map<String, String> request(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: headend-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        Map<String, String> headers = new HashMap<>();
        headers.put(":status", status.substring(9, 12));
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return headers;
    }

    private InputStream body(Map<String, String> headers) {
        return "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Chunked() : in;
    }

    private long copy(InputStream from, long limit, ByteArrayOutputStream to) throws IOException {
        long total = 0;
        while (total < limit) {
            int n = from.read(scratch, 0, (int) Math.min(scratch.length, limit - total));
            if (n < 0) {
                if (limit == Long.MAX_VALUE) {
                    return total;
                }
                throw new EOFException("body ended after " + total + " of " + limit + " bytes");
            }
            if (to != null) {
                to.write(scratch, 0, n);
            }
            total += n;
        }
        return total;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** A chunked body without its framing; ends after the last chunk and trailer. */
    private final class Chunked extends InputStream {
        private long remaining;
        private boolean started;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                if (started) {
                    line();
                }
                started = true;
                String size = line();
                int semicolon = size.indexOf(';');
                remaining = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (remaining == 0) {
                    while (!line().isEmpty()) {
                        // trailer fields are not needed
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("chunked body ended early");
            }
            remaining -= n;
            return n;
        }
    }
}
