package io.tedeesync.simulator;

import static io.tedeesync.simulator.SignIn.REDIRECT_URI;
import static io.tedeesync.simulator.SignIn.STATE;
import static io.tedeesync.simulator.SignIn.location;
import static io.tedeesync.simulator.SignIn.queryOf;
import static io.tedeesync.simulator.SignIn.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The interactive half of "Sign in with Tedee": {@code GET} and {@code POST /oauth2/v2.0/authorize}. */
class SignInPageTest {

    private Harness harness;
    private SignIn signIn;

    @BeforeEach
    void start() {
        harness = Harness.start().withAliceAndBob();
        signIn = new SignIn(harness);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void authorizeAndTokenUrlsAreTheOAuthPathsUnderTheBaseUrl() {
        assertThat(harness.sim.authorizeUrl()).isEqualTo(URI.create(harness.sim.baseUrl() + "/oauth2/v2.0/authorize"));
        assertThat(harness.sim.tokenUrl()).isEqualTo(URI.create(harness.sim.baseUrl() + "/oauth2/v2.0/token"));
    }

    @Test
    void pageOffersEveryAccountAsASignInButtonAndACancelButton() {
        Reply page = signIn.page(request());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("<title>Sign in to Tedee (simulator)</title>")
                .contains("<button type=\"submit\" id=\"sign-in-alice\" name=\"account\" value=\"alice\">"
                        + "Sign in as alice</button>")
                .contains("<button type=\"submit\" id=\"sign-in-bob\" name=\"account\" value=\"bob\">"
                        + "Sign in as bob</button>")
                .contains("<button type=\"submit\" id=\"deny\" name=\"deny\" value=\"1\">Cancel</button>")
                .contains("<form method=\"post\" action=\"authorize\"");
        assertThat(page.body().indexOf("sign-in-alice")).isLessThan(page.body().indexOf("sign-in-bob"));
    }

    @Test
    void pageListsAnAccountAddedAfterStart() {
        harness.sim.addAccount("carol", "personal-key-carol");

        assertThat(signIn.page(request()).body()).contains("id=\"sign-in-carol\"").contains("Sign in as carol");
    }

    @Test
    void pageCarriesTheRequestInHiddenFields() {
        Reply page = signIn.page(request());

        assertThat(page.body())
                .contains(hidden("response_type", "code"))
                .contains(hidden("client_id", SignIn.CLIENT_ID))
                .contains(hidden("redirect_uri", REDIRECT_URI))
                .contains(hidden("scope", "https://tedee.onmicrosoft.com/api/user_impersonation offline_access"))
                .contains(hidden("state", "state 1/2 &amp; more"))
                .contains(hidden("code_challenge", SignIn.S256_CHALLENGE))
                .contains(hidden("code_challenge_method", "S256"));
    }

    @Test
    void pageEscapesEverythingItEchoes() {
        harness.sim.addAccount("<i>eve</i>", "personal-key-eve");
        Map<String, String> request = request();
        request.put("client_id", "<b>app</b>");
        request.put("state", "\"><script>alert(1)</script>");
        request.put("scope", "a'b");

        Reply page = signIn.page(request);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .doesNotContain("<script>").doesNotContain("<b>app").doesNotContain("<i>eve")
                .contains(hidden("state", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
                .contains("<strong>&lt;b&gt;app&lt;/b&gt;</strong>")
                .contains("a&#39;b")
                .contains("id=\"sign-in-&lt;i&gt;eve&lt;/i&gt;\"")
                .contains("Sign in as &lt;i&gt;eve&lt;/i&gt;");
    }

    static Stream<Arguments> badAuthorizeRequests() {
        return Stream.of(
                Arguments.of("client_id missing", "client_id", without("client_id")),
                Arguments.of("redirect_uri missing", "redirect_uri", without("redirect_uri")),
                Arguments.of("redirect_uri relative", "redirect_uri", with("redirect_uri", "/callback")),
                Arguments.of("redirect_uri not http", "redirect_uri", with("redirect_uri", "ftp://127.0.0.1/callback")),
                Arguments.of("redirect_uri opaque", "redirect_uri", with("redirect_uri", "http:callback")),
                Arguments.of("redirect_uri with a fragment", "redirect_uri", with("redirect_uri", REDIRECT_URI + "#top")),
                Arguments.of("redirect_uri twice", "redirect_uri",
                        SignIn.form(request()) + "&redirect_uri=" + SignIn.encode(REDIRECT_URI)),
                Arguments.of("response_type missing", "response_type", without("response_type")),
                Arguments.of("response_type token", "response_type", with("response_type", "token")),
                Arguments.of("code_challenge missing", "code_challenge is missing", without("code_challenge")),
                Arguments.of("code_challenge_method unknown", "code_challenge_method",
                        with("code_challenge_method", "S512")));
    }

    private static String without(String parameter) {
        Map<String, String> request = request();
        request.remove(parameter);
        return SignIn.form(request);
    }

    private static String with(String parameter, String value) {
        Map<String, String> request = request();
        request.put(parameter, value);
        return SignIn.form(request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizeRequests")
    void badAuthorizeRequestIsA400PageThatSaysWhatIsWrongAndDoesNotRedirect(String name, String problem,
            String query) {
        Reply page = harness.getAnonymous("/oauth2/v2.0/authorize?" + query);
        Reply post = harness.postForm("/oauth2/v2.0/authorize", query + "&account=alice");

        for (Reply reply : new Reply[] {page, post}) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(reply.headers().firstValue("Location")).isEmpty();
            assertThat(reply.body()).contains("<p id=\"problem\">" + problem);
        }
    }

    @Test
    void signingInRedirectsWithACodeAndTheStateUnchanged() {
        Reply redirect = signIn.decide(request(), "account=alice");

        assertThat(redirect.status()).isEqualTo(302);
        String location = location(redirect);
        assertThat(location).startsWith(REDIRECT_URI + "?code=");
        Map<String, String> parameters = queryOf(location);
        assertThat(parameters.keySet()).containsExactly("code", "state");
        assertThat(parameters.get("code")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(parameters.get("state")).isEqualTo(STATE);
        assertThat(harness.sim.requests()).last().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.account()).isEqualTo("alice");
            assertThat(request.status()).isEqualTo(302);
        });
    }

    @Test
    void eachSignInGetsItsOwnCode() {
        assertThat(signIn.code("alice")).isNotEqualTo(signIn.code("alice"));
    }

    @Test
    void redirectKeepsTheQueryTheRedirectUriAlreadyHas() {
        Map<String, String> request = request();
        request.put("redirect_uri", "https://app.example/cb?tenant=a%20b");

        String location = location(signIn.decide(request, "account=alice"));

        assertThat(location).startsWith("https://app.example/cb?tenant=a%20b&code=");
        assertThat(queryOf(location)).containsEntry("tenant", "a b").containsEntry("state", STATE);
    }

    @Test
    void redirectWithoutAStateCarriesNone() {
        Map<String, String> request = request();
        request.remove("state");

        Reply page = signIn.page(request);
        String location = location(signIn.decide(request, "account=alice"));

        assertThat(page.body()).doesNotContain("name=\"state\"");
        assertThat(queryOf(location).keySet()).containsExactly("code");
    }

    @Test
    void cancellingRedirectsWithAccessDenied() {
        Reply redirect = signIn.decide(request(), "deny=1");

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(location(redirect)).isEqualTo(REDIRECT_URI + "?error=access_denied"
                + "&error_description=The+user+cancelled+the+sign-in.&state=state+1%2F2+%26+more");
    }

    @Test
    void signingInAsAnUnknownAccountIsA400Page() {
        Reply reply = signIn.decide(request(), "account=mallory");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Location")).isEmpty();
        assertThat(reply.body()).contains("mallory");
    }

    @Test
    void postingWithoutADecisionIsA400Page() {
        Reply reply = signIn.decide(request(), "");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void signInIsAlsoServedUnderThePolicyPath() {
        String path = "/B2C_1A_Signup_Signin_With_Kmsi/oauth2/v2.0/authorize";

        Reply page = signIn.page(path, request());
        Reply redirect = signIn.decide(path, request(), "account=bob");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"sign-in-bob\"");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(queryOf(location(redirect))).containsKey("code");
        assertThat(harness.sim.requestCounts().byRoute()).containsKeys("GET /oauth2/v2.0/authorize",
                "POST /oauth2/v2.0/authorize");
    }

    @Test
    void faultsNotAimedAtTheSignInLeaveItAlone() {
        harness.sim.injectFault(Fault.serverError(500), 1);
        harness.sim.injectFault(Fault.aimedAt("POST", "/oauth2/v2.0/token", Fault.serverError(503)), 1);

        assertThat(signIn.page(request()).status()).isEqualTo(200);
        assertThat(signIn.decide(request(), "account=alice").status()).isEqualTo(302);
        assertThat(harness.get("/api/v37/my/lock", Harness.ALICE_KEY).status()).isEqualTo(500);
    }

    @Test
    void faultAimedAtTheSignInPagePlaysThere() {
        harness.sim.injectFault(Fault.aimedAt("GET", "/oauth2/v2.0/authorize", Fault.serverError(503)), 1);

        assertThat(signIn.page(request()).status()).isEqualTo(503);
        assertThat(signIn.page(request()).status()).isEqualTo(200);
    }

    private static String hidden(String name, String escapedValue) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escapedValue + "\">";
    }
}
