package dev.headend.web.iptv;

import dev.headend.web.HttpSettings;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers SSDP searches (the discovery of UPnP) for the emulated tuner, so that media servers on
 * the network find it by themselves: an {@code M-SEARCH} for {@code ssdp:all}, {@code
 * upnp:rootdevice}, the device's {@code uuid:} or {@code
 * urn:schemas-upnp-org:device:MediaServer:1} gets one unicast reply per matching type, whose
 * {@code LOCATION} is {@code /device.xml} at the server's base URL ({@code public_url}, else the
 * HTTP bind address, else the local address the searcher is reached from). It also announces the
 * device ({@code NOTIFY ssdp:alive}) when it starts and withdraws it ({@code ssdp:byebye}) when it
 * stops, on each multicast interface.
 *
 * <p>Written by hand: SSDP here is one text datagram in and a few out, and no maintained Java
 * SSDP library is among this server's dependencies (the UPnP stacks there are bring a whole
 * device and control model). Only searchers on a network this host is on (the subnet of one of
 * its interfaces, link-local or loopback) are answered: SSDP never legitimately comes from
 * further away, and this keeps the responder from reflecting spoofed requests at distant hosts.
 */
public final class SsdpResponder {
    /** SSDP's port. */
    public static final int PORT = 1900;
    static final String GROUP = "239.255.255.250";
    static final String MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1";
    static final String ROOT_DEVICE = "upnp:rootdevice";
    private static final int MAX_AGE_SECONDS = 1800;
    private static final int MAX_DATAGRAM = 8192;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(SsdpResponder.class);

    private final int port;
    private final String uuid;
    private final HttpSettings http;
    private final IntSupplier httpPort;
    private final List<NetworkInterface> joined = new ArrayList<>();
    private MulticastSocket socket;
    private Thread thread;

    /**
     * @param port the UDP port to listen on ({@link #PORT}; tests give another)
     * @param installId this install's id, from which the device's UDN derives (as in {@code /device.xml})
     * @param httpPort the HTTP server's port, known once it has started
     */
    public SsdpResponder(int port, String installId, HttpSettings http, IntSupplier httpPort) {
        this.port = port;
        this.uuid = "uuid:" + InstallId.udn(installId);
        this.http = http;
        this.httpPort = httpPort;
    }

    /** Binds the port, joins the SSDP group where it can, announces the device and starts answering. */
    public synchronized void start() throws IOException {
        socket = new MulticastSocket(port);
        InetSocketAddress group = new InetSocketAddress(groupAddress(), 0);
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            try {
                if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback() && ipv4(nif).isPresent()) {
                    socket.joinGroup(group, nif);
                    joined.add(nif);
                }
            } catch (IOException e) {
                log.debug("SSDP: cannot join {} on {}: {}", GROUP, nif.getName(), e.toString());
            }
        }
        log.info("SSDP discovery: answering searches on UDP port {} ({} multicast interface(s))", port,
                joined.size());
        if (!wildcard(http.bind()) && InetAddress.getByName(http.bind()).isLoopbackAddress()
                && http.publicUrl().isEmpty()) {
            log.warn("SSDP discovery is on but bind is {}: media servers on the network find the tuner but cannot"
                    + " reach it; set bind: 0.0.0.0", http.bind());
        }
        announce("ssdp:alive");
        MulticastSocket listening = socket;
        thread = Thread.ofVirtual().name("ssdp").start(() -> serve(listening));
    }

    /** Withdraws the device and stops answering; the port is free again when it returns. */
    public synchronized void stop() throws InterruptedException {
        if (socket == null) {
            return;
        }
        announce("ssdp:byebye");
        socket.close();
        thread.join(STOP_WAIT);
        socket = null;
        joined.clear();
    }

    private void serve(DatagramSocket listening) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!listening.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                listening.receive(packet);
                answer(listening, packet);
            } catch (SocketException e) {
                if (!listening.isClosed()) {
                    log.warn("SSDP: {}", e.toString());
                }
            } catch (IOException e) {
                log.debug("SSDP: cannot answer {}: {}", packet.getSocketAddress(), e.toString());
            }
        }
    }

    private void answer(DatagramSocket listening, DatagramPacket packet) throws IOException {
        InetAddress from = packet.getAddress();
        Optional<String> searched = searchTarget(new String(packet.getData(), packet.getOffset(), packet.getLength(),
                StandardCharsets.UTF_8));
        // the cheap check first: every NOTIFY on the network arrives here, and onLink lists the interfaces
        if (searched.isEmpty() || !onLink(from)) {
            return;
        }
        String location = baseUrl(localAddressTowards(from)) + "/device.xml";
        for (String type : types()) {
            if (searched.get().equals("ssdp:all") || searched.get().equalsIgnoreCase(type)) {
                byte[] reply = message("HTTP/1.1 200 OK", Map.of("CACHE-CONTROL", "max-age=" + MAX_AGE_SECONDS,
                        "EXT", "", "LOCATION", location, "SERVER", server(), "ST", type, "USN", usn(type)));
                listening.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            }
        }
    }

    /** The ST of a well-formed {@code M-SEARCH} ({@code MAN: "ssdp:discover"}); empty for anything else. */
    static Optional<String> searchTarget(String datagram) {
        String[] lines = datagram.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equalsIgnoreCase("M-SEARCH * HTTP/1.1")) {
            return Optional.empty();
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        if (!"\"ssdp:discover\"".equals(headers.get("MAN")) || headers.getOrDefault("ST", "").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(headers.get("ST"));
    }

    /** Announces or withdraws the device on every joined interface, from that interface's address. */
    private void announce(String subtype) {
        SocketAddress target = new InetSocketAddress(groupAddress(), port);
        for (NetworkInterface nif : joined) {
            try {
                socket.setNetworkInterface(nif);
                String location = baseUrl(ipv4(nif).orElseThrow()) + "/device.xml";
                for (String type : types()) {
                    Map<String, String> headers = new TreeMap<>(Map.of("HOST", GROUP + ":" + port, "NT", type,
                            "NTS", subtype, "USN", usn(type)));
                    if (subtype.equals("ssdp:alive")) {
                        headers.put("CACHE-CONTROL", "max-age=" + MAX_AGE_SECONDS);
                        headers.put("LOCATION", location);
                        headers.put("SERVER", server());
                    }
                    byte[] notice = message("NOTIFY * HTTP/1.1", headers);
                    socket.send(new DatagramPacket(notice, notice.length, target));
                }
            } catch (IOException e) {
                log.debug("SSDP: cannot send {} on {}: {}", subtype, nif.getName(), e.toString());
            }
        }
    }

    private List<String> types() {
        return List.of(ROOT_DEVICE, uuid, MEDIA_SERVER);
    }

    private String usn(String type) {
        return type.equals(uuid) ? uuid : uuid + "::" + type;
    }

    private static String server() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.version") + " UPnP/1.0 Headend/1.0";
    }

    /** The base URL of the HTTP server as seen from {@code local}, the address a searcher reaches this host at. */
    private String baseUrl(InetAddress local) {
        if (http.publicUrl().isPresent()) {
            return http.publicUrl().get().toString();
        }
        String host = wildcard(http.bind()) ? local.getHostAddress() : http.bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort.getAsInt();
    }

    /** True for a loopback or link-local address, or one in the subnet of one of this host's interfaces. */
    static boolean onLink(InetAddress address) throws SocketException {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            for (InterfaceAddress local : nif.getInterfaceAddresses()) {
                if (sameSubnet(local.getAddress(), address, local.getNetworkPrefixLength())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameSubnet(InetAddress a, InetAddress b, int prefixLength) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength && bit < x.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The local address the system routes to {@code remote} from (no packet is sent). */
    private static InetAddress localAddressTowards(InetAddress remote) throws SocketException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(remote, PORT));
            return probe.getLocalAddress();
        }
    }

    private static boolean wildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    private static Optional<InetAddress> ipv4(NetworkInterface nif) {
        return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
    }

    private static InetAddress groupAddress() {
        try {
            return InetAddress.getByName(GROUP);
        } catch (IOException e) {
            throw new IllegalStateException("an IP literal always parses", e);
        }
    }

    /** An SSDP message: the start line, then each header, then an empty line, CRLF-separated. */
    private static byte[] message(String startLine, Map<String, String> headers) {
        StringBuilder text = new StringBuilder(startLine).append("\r\n");
        new TreeMap<>(headers).forEach((name, value) -> text.append(name.toUpperCase(Locale.ROOT)).append(':')
                .append(value.isEmpty() ? "" : " " + value).append("\r\n"));
        return text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
