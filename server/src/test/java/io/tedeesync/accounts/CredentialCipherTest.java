package io.tedeesync.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Sealing: what opens, and every way a sealed value must refuse to open. */
class CredentialCipherTest {
    private static final URI API = URI.create("https://api.tedee.com");
    private final CredentialCipher cipher = new CredentialCipher(key(1), new SecureRandom());

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return key;
    }

    @Test
    void aSealedValueOpensForItsAccountAndApi() {
        String sealed = cipher.seal("home", API, "{\"personalKey\":\"k-123\"}");

        assertThat(sealed).startsWith("v1." + cipher.keyId() + ".").doesNotContain("k-123");
        assertThat(cipher.open("home", API, sealed)).isEqualTo("{\"personalKey\":\"k-123\"}");
        assertThat(cipher.seal("home", API, "x")).as("a fresh nonce each time").isNotEqualTo(cipher.seal("home", API, "x"));
        assertThat(cipher.keyId()).hasSize(8).matches("[0-9a-f]+");
        assertThat(cipher.toString()).doesNotContain(Base64.getEncoder().encodeToString(key(1)));
    }

    @Test
    void aValueMovedToAnotherAccountOrApiUrlDoesNotOpen() {
        String sealed = cipher.seal("home", API, "secret");

        assertThatThrownBy(() -> cipher.open("office", API, sealed)).isInstanceOf(CredentialCipher.WrongKeyException.class)
                .hasMessageContaining("account office");
        assertThatThrownBy(() -> cipher.open("home", URI.create("https://attacker.example"), sealed))
                .isInstanceOf(CredentialCipher.WrongKeyException.class).hasMessageContaining("API URL");
    }

    @Test
    void anotherKeyIsNamedAsSuch() {
        String sealed = new CredentialCipher(key(2), new SecureRandom()).seal("home", API, "secret");

        assertThatThrownBy(() -> cipher.open("home", API, sealed)).isInstanceOfSatisfying(CredentialCipher.WrongKeyException.class,
                e -> {
                    assertThat(e.sealedWith()).isNotEqualTo(cipher.keyId()).hasSize(8);
                    assertThat(e.getMessage()).contains("encrypted with key " + e.sealedWith()).contains(cipher.keyId());
                });
    }

    @Test
    void alteredOrForeignValuesAreRefusedWithoutQuotingThem() {
        String sealed = cipher.seal("home", API, "secret");
        int middle = sealed.length() - 10; // inside the ciphertext and tag (the last character may carry only padding bits)
        String flipped = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);

        for (String bad : new String[] {flipped, "v1." + cipher.keyId() + ".AAAA", "v2.x.y", "plain text", "", null,
                "v1." + cipher.keyId() + ".!!!not-base64!!!"}) {
            assertThatThrownBy(() -> cipher.open("home", API, bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(CredentialCipher.WrongKeyException.class, e -> {
                        assertThat(e.getMessage()).contains("account home");
                        if (bad != null && bad.length() > 12) {
                            assertThat(e.getMessage()).doesNotContain(bad.substring(12));
                        }
                    });
        }
    }

    @Test
    void onlyA256BitKeyIsTaken() {
        assertThatThrownBy(() -> new CredentialCipher(new byte[16], new SecureRandom())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
