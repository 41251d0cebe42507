package dev.headend.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * The base ({@code scheme://host:port}) of URLs the server gives out. The {@code public_url}
 * setting when set; otherwise the address the client used, but only when it is one of the
 * server's own: the request's {@code Host} names the local address the connection arrived on
 * (or {@code localhost} on a loopback connection) and its port. Any other {@code Host} is never
 * reflected: the connection's local address and port are used instead.
 */
public final class BaseUrls {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private final Optional<String> publicUrl;

    public BaseUrls(Optional<URI> publicUrl) {
        this.publicUrl = publicUrl.map(URI::toString);
    }

    public String of(Request request) {
        if (publicUrl.isPresent()) {
            return publicUrl.get();
        }
        HttpURI uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        String local = Request.getLocalAddr(request);
        int localPort = Request.getLocalPort(request);
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (uri.getHost() != null && port == localPort && isLocal(uri.getHost(), local)) {
            return scheme + "://" + uri.getAuthority();
        }
        return scheme + "://" + (local.contains(":") ? "[" + local + "]" : local) + ":" + localPort;
    }

    private static boolean isLocal(String host, String localAddress) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress local = literal(localAddress);
        if (local == null) {
            return false;
        }
        if (h.equalsIgnoreCase("localhost")) {
            return local.isLoopbackAddress();
        }
        InetAddress named = literal(h);
        return local.equals(named);
    }

    /** An IP address written as a literal, or null: only literals are parsed, so no name is ever looked up. */
    private static InetAddress literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = text.indexOf(':') >= 0
                && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
