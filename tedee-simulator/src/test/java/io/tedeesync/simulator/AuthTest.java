package io.tedeesync.simulator;

import static io.tedeesync.simulator.Harness.ALICE_KEY;
import static io.tedeesync.simulator.LockPayloadTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {

    private Harness harness;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        harness.sim.addLock("alice", "111111-11111", "Front door");
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void wrongKeyIs401EnvelopeThatDoesNotEchoTheKey() {
        String wrongKey = "my-very-secret-wrong-key-0042";

        Reply reply = harness.get("/api/v37/my/lock", wrongKey);

        assertError(reply, 401);
        assertThat(reply.body()).doesNotContain(wrongKey);
    }

    @Test
    void missingOrMalformedAuthorizationIs401() {
        assertError(harness.getAnonymous("/api/v37/my/lock"), 401);
        assertError(harness.getWithAuthorization("/api/v37/my/lock", ALICE_KEY), 401);
        assertError(harness.getWithAuthorization("/api/v37/my/lock", "Basic " + ALICE_KEY), 401);
        assertThat(harness.getWithAuthorization("/api/v37/my/lock", "personalkey " + ALICE_KEY).status())
                .isEqualTo(200);
    }

    @Test
    void revokedKeyIs401() {
        assertThat(harness.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(200);

        harness.sim.revokeKey("alice");

        assertError(harness.get("/api/v37/my/lock", ALICE_KEY), 401);
        assertThat(harness.get("/api/v37/my/lock", Harness.BOB_KEY).status()).isEqualTo(200);
    }

    @Test
    void aReplacedKeyIsRefusedAndTheNewOneWorks() {
        harness.sim.revokeKey("alice");

        harness.sim.replaceKey("alice", "alice-new-key");

        assertError(harness.get("/api/v37/my/lock", ALICE_KEY), 401);
        assertThat(harness.get("/api/v37/my/lock", "alice-new-key").status()).isEqualTo(200);
        assertThat(harness.get("/api/v37/my/lock", Harness.BOB_KEY).status()).isEqualTo(200);
    }

    @Test
    void unauthenticatedRequestsAreRecordedWithoutAccount() {
        harness.get("/api/v37/my/lock", "nope");
        harness.get("/api/v37/my/lock", ALICE_KEY);

        assertThat(harness.sim.requests()).extracting(RecordedRequest::account, RecordedRequest::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, 401),
                        org.assertj.core.groups.Tuple.tuple("alice", 200));
    }

    @Test
    void issuedAccessTokenAuthenticatesAsBearer() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");

        Reply reply = harness.getWithAuthorization("/api/v37/my/lock", "Bearer " + tokens.accessToken());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().get(0).get("serialNumber").asText()).isEqualTo("111111-11111");
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken());
    }

    @Test
    void accessTokenLastsFourHoursOfClockTime() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");
        String bearer = "Bearer " + tokens.accessToken();

        harness.clock.advance(Duration.ofHours(4).minusSeconds(1));
        assertThat(harness.getWithAuthorization("/api/v37/my/lock", bearer).status()).isEqualTo(200);

        harness.clock.advance(Duration.ofSeconds(1));
        Reply expired = harness.getWithAuthorization("/api/v37/my/lock", bearer);
        assertError(expired, 401);
        assertThat(expired.body()).doesNotContain(tokens.accessToken());
    }

    @Test
    void accessTokenIsAJwtWhoseExpClaimSaysWhenItEnds() throws Exception {
        String token = harness.sim.issueTokens("alice").accessToken();

        String[] parts = token.split("\\.");
        JsonNode claims = harness.json.readTree(Base64.getUrlDecoder().decode(parts[1]));

        assertThat(parts).hasSize(3);
        assertThat(claims.get("exp").asLong()).isEqualTo(Harness.START.plus(Duration.ofHours(4)).getEpochSecond());
        assertThat(claims.get("oid").asText()).isEqualTo(harness.alice.userIdentity());
    }

    @Test
    void refreshGivesANewWorkingAccessTokenAfterExpiry() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");
        harness.sim.expireAccessTokens("alice");
        assertError(harness.getWithAuthorization("/api/v37/my/lock", "Bearer " + tokens.accessToken()), 401);

        Reply refreshed = refresh(tokens.refreshToken(), "/oauth2/v2.0/token");

        assertThat(refreshed.status()).isEqualTo(200);
        JsonNode body = refreshed.json();
        assertThat(body.has("result")).isFalse();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").isTextual()).isTrue();
        assertThat(body.get("expires_in").asText()).isEqualTo("14400");
        assertThat(body.get("refresh_token_expires_in").isNumber()).isTrue();
        assertThat(body.get("refresh_token_expires_in").asLong()).isEqualTo(1_209_600);
        assertThat(body.get("not_before").asText()).isEqualTo(Long.toString(Harness.START.getEpochSecond()));
        assertThat(body.get("refresh_token").asText()).isNotBlank();
        String newAccess = body.get("access_token").asText();
        assertThat(newAccess).isNotEqualTo(tokens.accessToken());
        assertThat(harness.getWithAuthorization("/api/v37/my/lock", "Bearer " + newAccess).status()).isEqualTo(200);
    }

    @Test
    void tokenEndpointAlsoAnswersUnderThePolicyPath() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");

        Reply refreshed = refresh(tokens.refreshToken(), "/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/token");

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(harness.sim.requests()).last().satisfies(request -> {
            assertThat(request.account()).isEqualTo("alice");
            assertThat(request.path()).endsWith("/oauth2/v2.0/token");
        });
    }

    @Test
    void unknownOrExpiredRefreshTokenIsInvalidGrant() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");

        Reply unknown = refresh("not-a-refresh-token", "/oauth2/v2.0/token");
        harness.clock.advance(Duration.ofDays(14));
        Reply expired = refresh(tokens.refreshToken(), "/oauth2/v2.0/token");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(unknown.json().get("error_description").asText()).isNotBlank();
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void malformedFormEscapesAreAnInvalidGrantNotAServerError() {
        Reply reply = harness.postForm("/oauth2/v2.0/token", "grant_type=refresh_token&refresh_token=%zz");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void otherGrantTypesAreRefused() {
        Reply reply = harness.postForm("/oauth2/v2.0/token", "grant_type=client_credentials&client_id=x");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void tokenEndpointIsNotRateLimited() {
        try (Harness limited = Harness.start(builder -> builder.requestsPerHour(1))) {
            limited.sim.addAccount("alice", ALICE_KEY);
            OAuthTokens tokens = limited.sim.issueTokens("alice");
            limited.get("/api/v37/my/lock", ALICE_KEY);
            assertThat(limited.get("/api/v37/my/lock", ALICE_KEY).status()).isEqualTo(429);

            Reply refreshed = limited.postForm("/oauth2/v2.0/token",
                    "grant_type=refresh_token&refresh_token=" + encode(tokens.refreshToken()));

            assertThat(refreshed.status()).isEqualTo(200);
        }
    }

    @Test
    void refreshTokensStayValidAfterUseUnlessSingleUse() {
        OAuthTokens tokens = harness.sim.issueTokens("alice");
        assertThat(refresh(tokens.refreshToken(), "/oauth2/v2.0/token").status()).isEqualTo(200);
        assertThat(refresh(tokens.refreshToken(), "/oauth2/v2.0/token").status()).as("as Azure AD B2C").isEqualTo(200);

        harness.sim.singleUseRefreshTokens(true);
        Reply first = refresh(tokens.refreshToken(), "/oauth2/v2.0/token");
        Reply again = refresh(tokens.refreshToken(), "/oauth2/v2.0/token");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).as("spent by its use").isEqualTo(400);
        assertThat(again.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(refresh(first.json().get("refresh_token").asText(), "/oauth2/v2.0/token").status()).as("the rotated one works")
                .isEqualTo(200);
    }

    private Reply refresh(String refreshToken, String path) {
        return harness.postForm(path, "grant_type=refresh_token&client_id=my-app&scope=x&refresh_token="
                + encode(refreshToken));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
