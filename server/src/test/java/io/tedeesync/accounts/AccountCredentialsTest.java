package io.tedeesync.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The sealed plaintext of credentials: what round-trips, what is refused, and what toString never shows. */
class AccountCredentialsTest {
    private static final URI TOKENS = URI.create("https://login.example/tenant/oauth2/v2.0/token");

    @Test
    void bothKindsRoundTripThroughTheirJson() {
        AccountCredentials key = new AccountCredentials.PersonalKey(" key-1 ");
        AccountCredentials oauth = new AccountCredentials.OAuth("rt-1", "client", "secret-1", TOKENS, "at-1", java.time.Instant.EPOCH);

        assertThat(AccountCredentials.fromJson(key.toJson())).isEqualTo(new AccountCredentials.PersonalKey("key-1"));
        AccountCredentials.OAuth read = (AccountCredentials.OAuth) AccountCredentials.fromJson(oauth.toJson());
        assertThat(read).isEqualTo(new AccountCredentials.OAuth("rt-1", "client", "secret-1", TOKENS));
        assertThat(oauth.toJson()).as("the access token is not kept").doesNotContain("at-1");
        assertThat(key.kind()).isEqualTo("personalKey");
        assertThat(oauth.kind()).isEqualTo("oauth");
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(new AccountCredentials.PersonalKey("key-1").toString()).doesNotContain("key-1");
        AccountCredentials.OAuth oauth = new AccountCredentials.OAuth("rt-1", "client", "secret-1",
                URI.create("https://user:pw@login.example/token"), "at-1", java.time.Instant.EPOCH);
        assertThat(oauth.toString()).doesNotContain("rt-1").doesNotContain("secret-1").doesNotContain("at-1").doesNotContain("pw");
    }

    @Test
    void badCredentialsAndUnreadableJsonAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> new AccountCredentials.PersonalKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccountCredentials.PersonalKey("a\nb")).hasMessageContaining("control characters");
        assertThatThrownBy(() -> new AccountCredentials.OAuth("rt", "", null, TOKENS)).hasMessageContaining("clientId");
        assertThatThrownBy(() -> new AccountCredentials.OAuth("rt", "c", null, URI.create("ftp://x/token"))).hasMessageContaining("http(s)");
        for (String json : new String[] {"{not json secret-9", "{}", "[]", "{\"refreshToken\":\"rt\"}", null}) {
            assertThatThrownBy(() -> AccountCredentials.fromJson(json)).as(String.valueOf(json)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-9"));
        }
    }

    @Test
    void theSignedInUserIsReadFromTheAccessTokensOidClaim() {
        java.util.Base64.Encoder encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        String token = encoder.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + encoder.encodeToString("{\"oid\":\"user-42\",\"exp\":1}".getBytes()) + ".sig";

        assertThat(SignIn.userOf(token)).isEqualTo("user-42");
        assertThat(SignIn.userOf("opaque-token")).isNull();
        assertThat(SignIn.userOf("a.!!!.c")).isNull();
        assertThat(SignIn.userOf(encoder.encodeToString("{}".getBytes()) + "." + encoder.encodeToString("{}".getBytes()) + ".s")).isNull();
    }
}
