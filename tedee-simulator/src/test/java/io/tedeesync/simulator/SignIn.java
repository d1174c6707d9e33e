package io.tedeesync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a browser and an app do in "Sign in with Tedee", by hand over HTTP against the harness's
 * simulator: open the authorize page, post the sign-in form, read the redirect, exchange the code.
 * The harness's client follows no redirect, so a test reads every {@code Location} itself.
 */
final class SignIn {

    static final String CLIENT_ID = "tedee-sync-test";
    static final String REDIRECT_URI = "http://127.0.0.1:9/oauth/callback";
    static final String STATE = "state 1/2 & more";
    /** RFC 7636 Appendix B: this verifier and its S256 challenge, worked out by the RFC, not by us. */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String S256_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final Harness harness;

    SignIn(Harness harness) {
        this.harness = harness;
    }

    /** A valid authorization request (S256), in order; tests change or remove what they need. */
    static Map<String, String> request() {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", CLIENT_ID);
        request.put("redirect_uri", REDIRECT_URI);
        request.put("scope", "https://tedee.onmicrosoft.com/api/user_impersonation offline_access");
        request.put("state", STATE);
        request.put("code_challenge", S256_CHALLENGE);
        request.put("code_challenge_method", "S256");
        return request;
    }

    /** The form of a code exchange for that code, with the RFC's verifier and the default client. */
    static Map<String, String> exchange(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", CLIENT_ID);
        form.put("code", code);
        form.put("code_verifier", VERIFIER);
        form.put("redirect_uri", REDIRECT_URI);
        return form;
    }

    /** Opens {@link TedeeSimulator#authorizeUrl()} with the request. */
    Reply page(Map<String, String> request) {
        return page(harness.sim.authorizeUrl().toString(), request);
    }

    /** Opens the page at a path of the simulator (or an absolute URI) with the request. */
    Reply page(String path, Map<String, String> request) {
        return harness.getAnonymous(path + "?" + form(request));
    }

    /** Posts the sign-in form with that decision, e.g. {@code account=alice} or {@code deny=1}. */
    Reply decide(Map<String, String> request, String decision) {
        return decide(harness.sim.authorizeUrl().toString(), request, decision);
    }

    Reply decide(String path, Map<String, String> request, String decision) {
        String body = form(request);
        return harness.postForm(path, body.isEmpty() ? decision : body + "&" + decision);
    }

    /** Signs in as the account and returns the code the redirect brings. */
    String code(Map<String, String> request, String account) {
        Reply redirect = decide(request, "account=" + encode(account));
        assertThat(redirect.status()).isEqualTo(302);
        return queryOf(location(redirect)).get("code");
    }

    String code(String account) {
        return code(request(), account);
    }

    /** Posts the form to {@link TedeeSimulator#tokenUrl()}. */
    Reply token(Map<String, String> form) {
        return harness.send(HttpRequest.newBuilder(harness.sim.tokenUrl()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    static String location(Reply reply) {
        return reply.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location in " + reply));
    }

    /** The decoded query parameters of a URI, by name. */
    static Map<String, String> queryOf(String uri) {
        String query = URI.create(uri).getRawQuery();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
        }
        return parameters;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
