package dev.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headend.config.ConfigLoader;
import dev.headend.config.HeadendConfig;
import dev.headend.support.NeedsFfmpeg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSDP discovery of the emulated tuner, on a free UDP port instead of 1900: with {@code
 * ssdp_discovery} on, an M-SEARCH sent to it on loopback gets replies whose LOCATION is the
 * server's {@code /device.xml} and whose USN is the device's UDN; with it off, or once the
 * server has stopped, nothing listens (the kernel answers "port unreachable").
 */
@NeedsFfmpeg
class SsdpDiscoveryIT {
    private static final String MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1";
    /** A bound for a datagram on loopback, however loaded the machine. */
    private static final int RECEIVE_BOUND_MILLIS = 30_000;
    private static final Pattern UDN = Pattern.compile("<UDN>(uuid:[0-9a-f-]+)</UDN>");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HeadendServer start(boolean discovery, int ssdpPort) throws Exception {
        Path file = dir.resolve("headend.yml");
        Files.writeString(file, """
                server:
                  port: 0
                  data_dir: "%s"
                  admin_token: test-admin-token-0123456789
                  ssdp_discovery: %s
                channels:
                  - id: news
                    source: "test:"
                """.formatted(dir.resolve("data"), discovery));
        ConfigLoader loader = new ConfigLoader(Map.of());
        HeadendConfig config = loader.load(file);
        HeadendServer server = new HeadendServer(config, loader, HeadendServer.Mode.SERVE, ssdpPort);
        server.start();
        return server;
    }

    private static String search(String target) {
        return "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: "
                + target + "\r\n\r\n";
    }

    @Test
    void anMSearchIsAnsweredWithTheDeviceDescriptionsLocationAndTheDevicesUsn() throws Exception {
        int port = freeUdpPort();
        try (HeadendServer server = start(true, port); DatagramSocket client = client(port)) {
            String description = get(server.url() + "/device.xml");
            Matcher udn = UDN.matcher(description);
            assertThat(udn.find()).as(description).isTrue();
            String uuid = udn.group(1);

            send(client, search("upnp:rootdevice"));
            Map<String, String> root = reply(client);

            assertThat(root).containsEntry("status", "HTTP/1.1 200 OK")
                    .containsEntry("LOCATION", server.url() + "/device.xml")
                    .containsEntry("ST", "upnp:rootdevice")
                    .containsEntry("USN", uuid + "::upnp:rootdevice")
                    .containsEntry("EXT", "")
                    .containsKey("CACHE-CONTROL");
            assertThat(get(root.get("LOCATION"))).contains(uuid, MEDIA_SERVER);

            send(client, search("ssdp:all"));
            List<Map<String, String>> all = List.of(reply(client), reply(client), reply(client));
            assertThat(all).extracting(r -> r.get("ST") + " " + r.get("USN")).containsExactlyInAnyOrder(
                    "upnp:rootdevice " + uuid + "::upnp:rootdevice", uuid + " " + uuid,
                    MEDIA_SERVER + " " + uuid + "::" + MEDIA_SERVER);

            send(client, search("urn:schemas-upnp-org:device:Printer:1"));
            send(client, "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n\r\n");
            send(client, search(MEDIA_SERVER).replace("\"ssdp:discover\"", "ssdp:discover"));
            send(client, search(MEDIA_SERVER));
            assertThat(reply(client)).as("only the well-formed search it matches is answered")
                    .containsEntry("ST", MEDIA_SERVER).containsEntry("USN", uuid + "::" + MEDIA_SERVER);

            server.stop();
            send(client, search("ssdp:all"));
            assertThatThrownBy(() -> reply(client)).as("stopped with the server")
                    .isInstanceOf(PortUnreachableException.class);
        }
    }

    @Test
    void withTheSettingOffNothingListens() throws Exception {
        int port = freeUdpPort();
        try (HeadendServer server = start(false, port); DatagramSocket client = client(port)) {
            assertThat(get(server.url() + "/device.xml")).contains(MEDIA_SERVER);

            send(client, search("ssdp:all"));

            assertThatThrownBy(() -> reply(client)).isInstanceOf(PortUnreachableException.class);
        }
    }

    private static DatagramSocket client(int port) throws IOException {
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        client.setSoTimeout(RECEIVE_BOUND_MILLIS);
        return client;
    }

    private static void send(DatagramSocket client, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length));
    }

    /** The next reply: its status line under "status", then its headers (names upper-case). */
    private static Map<String, String> reply(DatagramSocket client) throws IOException {
        byte[] buffer = new byte[8192];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        client.receive(packet);
        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n\r\n");
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
        Map<String, String> headers = new TreeMap<>();
        headers.put("status", lines.removeFirst());
        for (String line : lines) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
