package io.tedeesync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization-code grant with PKCE and rotatable credentials, against the simulator's sign-in over
 * real HTTP.
 */
class SignInCredentialsTest {
    private static final String KEY = "sign-in-test-key-0b3c";
    private static final URI REDIRECT = URI.create("http://127.0.0.1:9/oauth/callback");
    private static final String CLIENT = "client-test";

    private final TestClock clock = new TestClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
    private TedeeSimulator simulator;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().clock(clock).seed(3).build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", "300000-00001", "Front door");
        simulator.start(0);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** What the browser does on the sign-in page: approve, and return the code the redirect carries. */
    private String signIn(String challenge) throws Exception {
        String form = "account=home&response_type=code&client_id=" + CLIENT + "&redirect_uri="
                + URLEncoder.encode(REDIRECT.toString(), StandardCharsets.UTF_8) + "&state=s1&code_challenge=" + challenge
                + "&code_challenge_method=S256&scope=offline_access";
        HttpResponse<String> decided = HttpClient.newHttpClient().send(HttpRequest.newBuilder(simulator.authorizeUrl())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(decided.statusCode()).isEqualTo(302);
        String location = decided.headers().firstValue("Location").orElseThrow();
        return location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    private AuthorizationCodeGrant grant() {
        return AuthorizationCodeGrant.of(simulator.tokenUrl(), CLIENT, null, null, clock, Duration.ofSeconds(15));
    }

    @Test
    void theVerifierAndItsS256ChallengeAreTheRfcs() {
        // RFC 7636, appendix B.
        assertThat(AuthorizationCodeGrant.s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        String verifier = AuthorizationCodeGrant.newCodeVerifier(new SecureRandom());
        assertThat(verifier).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(AuthorizationCodeGrant.newCodeVerifier(new SecureRandom())).isNotEqualTo(verifier);
    }

    @Test
    void aCodeExchangesForTokensThatReadTheLocks() throws Exception {
        String verifier = AuthorizationCodeGrant.newCodeVerifier(new SecureRandom());
        String code = signIn(AuthorizationCodeGrant.s256Challenge(verifier));

        AuthorizationCodeGrant.Tokens tokens = grant().exchangeAsync(code, verifier, REDIRECT).get();

        assertThat(tokens.refreshToken()).isNotBlank();
        assertThat(tokens.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(4)));
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken());
        TedeeClient client = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearerToken(tokens.accessToken()))
                .build();
        assertThat(client.getLocks()).extracting(Lock::serialNumber).containsExactly("300000-00001");
    }

    @Test
    void aRefusedCodeIsAnAuthenticationFailureThatNamesNoSecret() throws Exception {
        String verifier = AuthorizationCodeGrant.newCodeVerifier(new SecureRandom());
        String code = signIn(AuthorizationCodeGrant.s256Challenge(verifier));
        grant().exchangeAsync(code, verifier, REDIRECT).get();

        assertThatThrownBy(() -> grant().exchangeAsync(code, verifier, REDIRECT).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("authorization code was refused")
                .hasMessageNotContaining(code);
        String other = signIn(AuthorizationCodeGrant.s256Challenge(verifier));
        assertThatThrownBy(() -> grant().exchangeAsync(other, "another-verifier-of-the-right-length-0000000", REDIRECT).get())
                .cause().isInstanceOf(AuthenticationException.class);
    }

    @Test
    void aTokenEndpointThatIsDownIsAConnectionFailure() throws Exception {
        String verifier = AuthorizationCodeGrant.newCodeVerifier(new SecureRandom());
        String code = signIn(AuthorizationCodeGrant.s256Challenge(verifier));
        simulator.injectFault(Fault.aimedAt("POST", "/oauth2/v2.0/token", Fault.dropConnection()), 1);

        assertThatThrownBy(() -> grant().exchangeAsync(code, verifier, REDIRECT).get())
                .cause().isInstanceOf(TedeeConnectionException.class);
        assertThat(grant().exchangeAsync(code, verifier, REDIRECT).get().refreshToken()).as("the code was not spent").isNotBlank();
    }

    @Test
    void rotatedCredentialsTakeEffectOnTheNextRequestOfTheSameClient() {
        RotatableCredentials credentials = Credentials.rotatable(Credentials.personalKey(KEY));
        TedeeClient client = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(credentials).build();
        assertThat(client.getLocks()).hasSize(1);
        simulator.replaceKey("home", "the-new-key-6d1e");
        assertThatThrownBy(client::getLocks).isInstanceOf(AuthenticationException.class);

        credentials.rotate(Credentials.personalKey("the-new-key-6d1e"));

        assertThat(client.getLocks()).hasSize(1);
        assertThat(credentials.scheme()).isEqualTo("PersonalKey");
        assertThat(credentials.toString()).doesNotContain("the-new-key-6d1e");
        credentials.rotate(Credentials.bearer(OAuthRefreshTokenSupplier.builder().tokenUrl(simulator.tokenUrl())
                .refreshToken(simulator.issueTokens("home").refreshToken()).clock(clock).build()));
        assertThat(client.getLocks()).as("OAuth, refreshed without blocking").hasSize(1);
        assertThat(credentials.scheme()).isEqualTo("Bearer");
    }
}
