package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.accounts.SignInSettings;
import io.tedeesync.simulator.Fault;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign in with Tedee over HTTP, against the simulator's authorize side: start, the sign-in page, the
 * callback, and each way it can go wrong (denied, expired or replayed state, replayed code, token
 * endpoint down), each with its own page.
 */
class SignInTest {
    static final String CLIENT_ID = "sign-in-test-client";

    @TempDir
    Path data;
    ServiceHarness harness;
    String officeIdentity;

    @BeforeEach
    void start() {
        harness = new ServiceHarness(data);
        officeIdentity = harness.simulator.addAccount("office", "office-key-unused-by-sign-in").userIdentity();
        harness.simulator.addLock("office", "OFF-00001", "Office front");
        harness.simulator.addLock("office", "OFF-00002", "Office back");
        harness.start(s -> s.withRuntimeAccounts(harness.runtimeAccounts(AccountsApiContract.ADMIN, AccountsApiContract.SECRET_KEY,
                new SignInSettings(CLIENT_ID, null, harness.simulator.authorizeUrl(), harness.simulator.tokenUrl(),
                        SignInSettings.DEFAULT_SCOPES, null))));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** /oauth/start for the account: the simulator's sign-in page URL. */
    URI start(String account) {
        HttpResponse<String> started = harness.get("/oauth/start?account=" + account, AccountsApiContract.AS_ADMIN);
        assertThat(started.statusCode()).isEqualTo(302);
        return URI.create(started.headers().firstValue("Location").orElseThrow());
    }

    /** Approves (or denies) on the simulator's page: where it redirects the browser. */
    URI decide(URI authorize, String form) {
        HttpResponse<String> page = harness.send(HttpRequest.newBuilder(authorize).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        Map<String, String> query = query(authorize);
        StringBuilder body = new StringBuilder(form);
        query.forEach((key, value) -> body.append('&').append(key).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpResponse<String> decided = harness.send(HttpRequest.newBuilder(URI.create(authorize.toString().split("\\?")[0]))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(decided.statusCode()).isEqualTo(302);
        return URI.create(decided.headers().firstValue("Location").orElseThrow());
    }

    HttpResponse<String> follow(URI callback) {
        return harness.send(HttpRequest.newBuilder(callback).GET());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    @Test
    void startRedirectsToTedeeWithPkceAndAState() {
        URI authorize = start("office");

        Map<String, String> query = query(authorize);
        assertThat(authorize.toString()).startsWith(harness.simulator.authorizeUrl().toString());
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", "http://127.0.0.1:" + harness.service.port() + "/oauth/callback");
        assertThat(query.get("scope")).contains("offline_access");
        assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(query.get("code_challenge")).hasSize(43);
        JsonNode asJson = harness.read(harness.get("/oauth/start?account=office", "Authorization", "Bearer " + AccountsApiContract.ADMIN,
                "Accept", "application/json"));
        assertThat(asJson.path("authorizeUrl").asText()).startsWith(harness.simulator.authorizeUrl().toString());
    }

    @Test
    void startNeedsTheAdminTokenAndAGoodName() {
        assertThat(harness.get("/oauth/start?account=office").statusCode()).isEqualTo(401);
        assertThat(harness.get("/oauth/start?account=a%20b", AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/oauth/start", AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(harness.get("/oauth/start?account=home", AccountsApiContract.AS_ADMIN).statusCode()).as("declared").isEqualTo(409);
    }

    @Test
    void aSignInConnectsTheAccountAndSaysHowManyLocksItHas() {
        HttpResponse<String> page = follow(decide(start("office"), "account=office"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).contains("Account office is connected").contains("2 locks");
        JsonNode office = harness.read(harness.get("/api/accounts/office", AccountsApiContract.AS_ADMIN));
        assertThat(office.path("credentials").asText()).isEqualTo("oauth");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> harness.get("/api/locks").body().contains("OFF-00002"));
    }

    @Test
    void signingInAgainReplacesTheCredentialsOfTheSameAccount() {
        follow(decide(start("office"), "account=office"));
        String sealedBefore = harness.service.storeForTests().loadAccounts().get(0).sealedCredentials();

        HttpResponse<String> again = follow(decide(start("office"), "account=office"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("uses the new sign-in");
        assertThat(harness.read(harness.get("/api/accounts", AccountsApiContract.AS_ADMIN))).hasSize(2);
        assertThat(harness.service.storeForTests().loadAccounts().get(0).sealedCredentials()).as("new tokens sealed")
                .isNotEqualTo(sealedBefore);
        assertThat(harness.service.storeForTests().loadAccounts().get(0).userIdentity()).as("the signed-in Tedee user")
                .isEqualTo(officeIdentity);
    }

    @Test
    void anotherTedeeUserCannotTakeOverAnAccountBySigningIn() {
        harness.simulator.addAccount("intruder", "intruder-key");
        harness.simulator.addLock("intruder", "INT-00001", "Not yours");
        follow(decide(start("office"), "account=office"));
        String sealedBefore = harness.service.storeForTests().loadAccounts().get(0).sealedCredentials();

        HttpResponse<String> page = follow(decide(start("office"), "account=intruder"));

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("another Tedee user");
        assertThat(harness.service.storeForTests().loadAccounts().get(0).sealedCredentials()).as("office's credentials unchanged")
                .isEqualTo(sealedBefore);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> harness.get("/api/locks").body().contains("OFF-00002"));
        assertThat(harness.get("/api/locks").body()).doesNotContain("INT-00001");
    }

    @Test
    void anAccountAddedWithoutItsUserLearnsItAtTheFirstSignInAndRefusesAnotherAfter() {
        harness.simulator.addAccount("intruder", "intruder-key");
        assertThat(harness.post("/api/accounts", "{\"name\":\"office\",\"personalKey\":\"office-key-unused-by-sign-in\"}",
                AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(201);
        assertThat(harness.service.storeForTests().loadAccounts().get(0).userIdentity()).isNull();

        assertThat(follow(decide(start("office"), "account=office")).statusCode()).isEqualTo(200);

        assertThat(harness.service.storeForTests().loadAccounts().get(0).userIdentity()).isEqualTo(officeIdentity);
        assertThat(harness.service.storeForTests().loadAccounts().get(0).credentialKind()).isEqualTo("oauth");
        assertThat(follow(decide(start("office"), "account=intruder")).statusCode()).isEqualTo(422);
    }

    @Test
    void startIsRefusedToTheApiTokenAndWithoutSignInConfigured() {
        harness.stopService();
        harness.start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                s.webhookSecret(), AccountsApiContract.READ, false, s.retention())
                .withRuntimeAccounts(harness.runtimeAccounts(AccountsApiContract.ADMIN, AccountsApiContract.SECRET_KEY, null)));

        HttpResponse<String> withReadToken = harness.get("/oauth/start?account=office", "Authorization", "Bearer " + AccountsApiContract.READ);
        HttpResponse<String> notConfigured = harness.get("/oauth/start?account=office", AccountsApiContract.AS_ADMIN);

        assertThat(withReadToken.statusCode()).isEqualTo(403);
        assertThat(notConfigured.statusCode()).isEqualTo(404);
        assertThat(harness.read(notConfigured).path("error").asText()).isEqualTo("sign_in_off");
        harness.stopService();
        harness.start(s -> s);
        assertThat(harness.get("/oauth/start?account=office", AccountsApiContract.AS_ADMIN).statusCode()).as("no admin token").isEqualTo(403);
    }

    @Test
    void aDeniedSignInSaysSoAndConnectsNothing() {
        HttpResponse<String> page = follow(decide(start("office"), "deny=1"));

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("Sign-in cancelled").contains("access_denied");
        assertThat(harness.get("/api/accounts/office", AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void aStateIsUsedOnce() {
        URI callback = decide(start("office"), "account=office");
        assertThat(follow(callback).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = follow(callback);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("expired or was already used");
    }

    @Test
    void anUnknownStateIsRefused() {
        HttpResponse<String> page = harness.get("/oauth/callback?code=abc&state=made-up");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("expired or was already used");
    }

    @Test
    void anExpiredStateIsRefused() {
        URI callback = decide(start("office"), "account=office");
        harness.clock.advance(Duration.ofMinutes(11));

        HttpResponse<String> page = follow(callback);

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("expired or was already used");
        assertThat(harness.get("/api/accounts/office", AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void aReplayedCodeIsRefusedByTedee() {
        URI first = decide(start("office"), "account=office");
        follow(first);
        String usedCode = query(first).get("code");
        String freshState = query(decide(start("office"), "account=office")).get("state");

        HttpResponse<String> page = harness.get("/oauth/callback?code=" + usedCode + "&state=" + freshState);

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("Tedee refused the sign-in code");
    }

    @Test
    void aTokenEndpointThatIsDownGetsItsOwnPageAndChangesNothing() {
        URI callback = decide(start("office"), "account=office");
        harness.simulator.injectFault(Fault.aimedAt("POST", "/oauth2/v2.0/token", Fault.dropConnection()), 3);

        HttpResponse<String> page = follow(callback);

        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.body()).contains("did not answer");
        assertThat(harness.get("/api/accounts/office", AccountsApiContract.AS_ADMIN).statusCode()).isEqualTo(404);
    }
}
