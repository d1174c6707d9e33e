package io.tedeesync.simulator;

import static io.tedeesync.simulator.SignIn.exchange;
import static io.tedeesync.simulator.SignIn.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The second half of "Sign in with Tedee": {@code POST /oauth2/v2.0/token} with {@code grant_type=authorization_code}. */
class CodeExchangeTest {

    private Harness harness;
    private SignIn signIn;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        harness.sim.addLock("alice", "111111-11111", "Front door");
        signIn = new SignIn(harness);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void s256CodeExchangesForTokensShapedLikeARefreshThatWorkOnTheApi() {
        Map<String, String> form = exchange(signIn.code("alice"));
        form.put("client_secret", "ignored-by-the-simulator");

        Reply tokens = signIn.token(form);

        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = tokens.json();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("not_before", "token_type", "access_token", "expires_in", "refresh_token",
                "refresh_token_expires_in");
        assertThat(body.get("not_before").asText()).isEqualTo(Long.toString(Harness.START.getEpochSecond()));
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").isTextual()).isTrue();
        assertThat(body.get("expires_in").asText()).isEqualTo("14400");
        assertThat(body.get("refresh_token_expires_in").isNumber()).isTrue();
        assertThat(body.get("refresh_token_expires_in").asLong()).isEqualTo(1_209_600);
        Reply locks = bearerGet(body.get("access_token").asText());
        assertThat(locks.status()).isEqualTo(200);
        assertThat(locks.result().get(0).get("serialNumber").asText()).isEqualTo("111111-11111");
        assertThat(harness.sim.requests()).filteredOn(request -> request.path().endsWith("/token"))
                .singleElement().satisfies(request -> assertThat(request.account()).isEqualTo("alice"));
    }

    @Test
    void codeSignsInAsTheAccountThatWasChosen() {
        String access = accessToken(signIn.token(exchange(signIn.code("bob"))));

        Reply locks = bearerGet(access);

        assertThat(locks.status()).isEqualTo(200);
        assertThat(locks.result()).isEmpty(); // bob sees none of alice's locks
    }

    @Test
    void plainChallengeIsTheVerifierItself() {
        Map<String, String> request = request();
        request.put("code_challenge", "long-random-pkce-challenge-value-for-plain-method");
        request.put("code_challenge_method", "plain");
        Map<String, String> form = exchange(signIn.code(request, "alice"));
        form.put("code_verifier", "long-random-pkce-challenge-value-for-plain-method");

        Reply tokens = signIn.token(form);

        assertThat(tokens.status()).isEqualTo(200);
        assertThat(bearerGet(accessToken(tokens)).status()).isEqualTo(200);
    }

    @Test
    void noChallengeMethodMeansPlain() {
        Map<String, String> request = request();
        request.remove("code_challenge_method");
        String code = signIn.code(request, "alice");
        Map<String, String> s256 = exchange(code); // the verifier whose S256 the challenge is
        Map<String, String> plain = exchange(code);
        plain.put("code_verifier", SignIn.S256_CHALLENGE);

        assertInvalidGrant(signIn.token(s256));
        assertThat(signIn.token(plain).status()).isEqualTo(200);
    }

    @Test
    void challengeMethodIsCaseInsensitive() {
        Map<String, String> request = request();
        request.put("code_challenge_method", "s256"); // as the Tedee docs write it
        String code = signIn.code(request, "alice");
        Map<String, String> asIfPlain = exchange(code);
        asIfPlain.put("code_verifier", SignIn.S256_CHALLENGE);

        assertInvalidGrant(signIn.token(asIfPlain));
        assertThat(signIn.token(exchange(code)).status()).isEqualTo(200);
    }

    @Test
    void wrongVerifierIsInvalidGrant() {
        Map<String, String> form = exchange(signIn.code("alice"));
        form.put("code_verifier", SignIn.VERIFIER.replace('d', 'e'));

        assertInvalidGrant(signIn.token(form), "code_verifier");
    }

    @Test
    void anotherRedirectUriIsInvalidGrant() {
        Map<String, String> form = exchange(signIn.code("alice"));
        form.put("redirect_uri", SignIn.REDIRECT_URI + "/");

        assertInvalidGrant(signIn.token(form), "redirect_uri");
    }

    @Test
    void anotherClientIdIsInvalidGrant() {
        Map<String, String> form = exchange(signIn.code("alice"));
        form.put("client_id", "another-app");

        assertInvalidGrant(signIn.token(form), "client_id");
    }

    @Test
    void unknownCodeIsInvalidGrant() {
        assertInvalidGrant(signIn.token(exchange("no-such-code")), "unknown");
    }

    @Test
    void replayedCodeIsInvalidGrant() {
        Map<String, String> form = exchange(signIn.code("alice"));
        assertThat(signIn.token(form).status()).isEqualTo(200);

        assertInvalidGrant(signIn.token(form), "already");
    }

    @Test
    void codeLastsTenMinutesOfSimulatedTime() {
        String inTime = signIn.code("alice");
        String tooLate = signIn.code("alice");

        harness.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(signIn.token(exchange(inTime)).status()).isEqualTo(200);
        harness.clock.advance(Duration.ofSeconds(1));
        assertInvalidGrant(signIn.token(exchange(tooLate)), "expired");
    }

    @Test
    void refusedExchangeLeavesTheCodeForTheRightOne() {
        String code = signIn.code("alice");
        Map<String, String> wrong = exchange(code);
        wrong.put("code_verifier", "not-the-verifier");

        assertInvalidGrant(signIn.token(wrong));
        assertThat(signIn.token(exchange(code)).status()).isEqualTo(200);
    }

    @Test
    void missingCodeVerifierClientIdOrRedirectUriIsInvalidRequest() {
        String code = signIn.code("alice");
        for (String field : List.of("code", "code_verifier", "client_id", "redirect_uri")) {
            Map<String, String> form = exchange(code);
            form.remove(field);

            Reply reply = signIn.token(form);

            assertThat(reply.status()).as(field).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).as(field).isEqualTo("invalid_request");
            assertThat(reply.json().get("error_description").asText()).as(field).contains(field);
        }
        assertThat(signIn.token(exchange(code)).status()).isEqualTo(200);
    }

    @Test
    void tokenFaultLeavesTheCodeForTheRetry() {
        String code = signIn.code("alice");
        harness.sim.injectFault(Fault.aimedAt("POST", "/oauth2/v2.0/token", Fault.serverError(503)), 1);

        Reply failed = signIn.token(exchange(code));
        Reply retried = signIn.token(exchange(code));

        assertThat(failed.status()).isEqualTo(503);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(bearerGet(accessToken(retried)).status()).isEqualTo(200);
    }

    @Test
    void tokenFaultAlsoPlaysUnderThePolicyPath() {
        String code = signIn.code("alice");
        harness.sim.injectFault(Fault.aimedAt("POST", "/oauth2/v2.0/token", Fault.serverError(503)), 1);
        String policyPath = "/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/token";

        assertThat(harness.postForm(policyPath, SignIn.form(exchange(code))).status()).isEqualTo(503);
        assertThat(harness.postForm(policyPath, SignIn.form(exchange(code))).status()).isEqualTo(200);
    }

    @Test
    void refreshTokenFromTheCodeExchangeRefreshes() {
        JsonNode first = signIn.token(exchange(signIn.code("alice"))).json();
        harness.sim.expireAccessTokens("alice");
        assertThat(bearerGet(first.get("access_token").asText()).status()).isEqualTo(401);

        Reply refreshed = signIn.token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token").asText()));

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(bearerGet(accessToken(refreshed)).status()).isEqualTo(200);
    }

    private Reply bearerGet(String accessToken) {
        return harness.getWithAuthorization("/api/v37/my/lock", "Bearer " + accessToken);
    }

    private static String accessToken(Reply tokens) {
        assertThat(tokens.status()).isEqualTo(200);
        return tokens.json().get("access_token").asText();
    }

    private static void assertInvalidGrant(Reply reply) {
        assertInvalidGrant(reply, "");
    }

    private static void assertInvalidGrant(Reply reply, String descriptionMentions) {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(reply.json().get("error_description").asText()).isNotBlank().contains(descriptionMentions);
    }
}
