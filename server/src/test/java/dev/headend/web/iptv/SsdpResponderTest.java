package dev.headend.web.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which datagrams the SSDP responder takes for a search, and which senders it answers. */
class SsdpResponderTest {
    private static final String SEARCH = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
            + "MAN: \"ssdp:discover\"\r\nMX: 2\r\nST: upnp:rootdevice\r\n\r\n";

    @Test
    void aWellFormedSearchGivesItsTarget() {
        assertThat(SsdpResponder.searchTarget(SEARCH)).contains("upnp:rootdevice");
        assertThat(SsdpResponder.searchTarget(SEARCH.replace("\r\n", "\n").replace("ST:", "st:")))
                .as("bare line feeds, header names in any case").contains("upnp:rootdevice");
    }

    @Test
    void anythingElseIsIgnored() {
        for (String datagram : List.of("", "\r\n", "garbage", SEARCH.replace("M-SEARCH *", "GET /"),
                SEARCH.replace("\"ssdp:discover\"", "ssdp:discover"), SEARCH.replace("MAN: \"ssdp:discover\"\r\n", ""),
                SEARCH.replace("ST: upnp:rootdevice", "ST:"), SEARCH.replace("ST: upnp:rootdevice\r\n", ""),
                SEARCH.replace("M-SEARCH", "NOTIFY"))) {
            assertThat(SsdpResponder.searchTarget(datagram)).as(datagram).isEmpty();
        }
    }

    @Test
    void sendersOnTheHostsNetworksAreAnsweredOthersNot() throws Exception {
        assertThat(SsdpResponder.onLink(InetAddress.getLoopbackAddress())).isTrue();
        assertThat(SsdpResponder.onLink(InetAddress.getByName("169.254.10.20"))).isTrue();
        for (InterfaceAddress local : interfaceAddresses()) {
            assertThat(SsdpResponder.onLink(local.getAddress())).as(local.toString()).isTrue();
        }
        assertThat(SsdpResponder.onLink(InetAddress.getByName("198.51.100.77")))
                .as("TEST-NET-2, on no interface here").isEqualTo(interfaceAddresses().stream()
                        .anyMatch(a -> a.getAddress().getHostAddress().startsWith("198.51.100.")));
    }

    private static List<InterfaceAddress> interfaceAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().flatMap(n -> n.getInterfaceAddresses().stream()).toList();
    }
}
