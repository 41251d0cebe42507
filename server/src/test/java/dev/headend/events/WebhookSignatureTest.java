package dev.headend.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.security.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    @Test
    void isTheHmacOfTimestampDotBodyAsAReceiverComputesIt() throws Exception {
        byte[] body = "{\"type\":\"stream_started\"}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("receiver-secret-0123".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("1700000000." + new String(body,
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

        String header = WebhookSignature.of(Secret.of("receiver-secret-0123"), 1_700_000_000L, body);

        assertThat(header).isEqualTo("t=1700000000,v1=" + expected);
    }

    @Test
    void theReceiverStreamIdComesFromStreamIdOrId() {
        assertThat(WebhookDispatcher.receiverStreamId("{\"stream_id\":\"s-1\",\"id\":\"x\"}")).contains("s-1");
        assertThat(WebhookDispatcher.receiverStreamId("{\"id\":42}")).contains("42");
        assertThat(WebhookDispatcher.receiverStreamId("{\"id\":{\"nested\":1}}")).isEmpty();
        assertThat(WebhookDispatcher.receiverStreamId("not json")).isEmpty();
        assertThat(WebhookDispatcher.receiverStreamId("[1]")).isEmpty();
        assertThat(WebhookDispatcher.receiverStreamId("")).isEmpty();
    }
}
