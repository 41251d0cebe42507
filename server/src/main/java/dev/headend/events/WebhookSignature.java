package dev.headend.events;

import dev.headend.security.Hmac;
import dev.headend.security.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The signature header of a delivery: {@code X-Headend-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>." followed by the body>} under the receiver's secret. A receiver recomputes
 * it and refuses old timestamps (replays). Pure.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Headend-Signature";

    private WebhookSignature() {}

    public static String of(Secret secret, long unixSeconds, byte[] body) {
        byte[] mac = new Hmac(secret.reveal().getBytes(StandardCharsets.UTF_8))
                .of((unixSeconds + ".").getBytes(StandardCharsets.UTF_8), body);
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac);
    }
}
