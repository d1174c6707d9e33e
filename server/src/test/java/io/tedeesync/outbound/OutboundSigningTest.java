package io.tedeesync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures and secrets against the Standard Webhooks specification's own test vector. */
class OutboundSigningTest {
    // From the specification's reference libraries (standard-webhooks, their shared test case).
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void theSpecificationsExampleSignsAsItSays() {
        assertThat(WebhookSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void duringARotationTheHeaderHoldsBothSignaturesNewFirst() {
        String newer = WebhookSecret.generate(new SecureRandom());
        String header = WebhookSignature.header(List.of(newer, SPEC_SECRET), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        assertThat(header.split(" ")).containsExactly(WebhookSignature.sign(newer, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY), SPEC_SIGNATURE);
    }

    @Test
    void aNewSecretIsWhsecAndThe32RandomBytesInBase64() {
        String first = WebhookSecret.generate(new SecureRandom());
        String second = WebhookSecret.generate(new SecureRandom());

        assertThat(first).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(first.substring(6))).hasSize(32);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aMalformedSecretIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> WebhookSignature.sign("whsec_!!not-base64!!", SPEC_ID, 1, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not-base64");
        assertThatThrownBy(() -> WebhookSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SPEC_ID, 1, "{}"))
                .hasMessageContaining("whsec_");
    }
}
