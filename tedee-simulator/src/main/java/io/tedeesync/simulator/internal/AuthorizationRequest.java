package io.tedeesync.simulator.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The parameters of {@code GET /oauth2/v2.0/authorize} (howtos/authenticate.rst, step 1), checked:
 * the sign-in page carries them in its form, and the form's POST brings them back to be checked again
 * (a client may post anything). Immutable.
 *
 * @param clientId    the {@code client_id}; any non-empty value (the simulator registers no clients)
 * @param redirectUri the {@code redirect_uri} exactly as sent: the token request must repeat it to the
 *                    character (RFC 6749 §4.1.3)
 * @param scope       the {@code scope}, or null; carried, not checked
 * @param state       the {@code state}, or null; sent back unchanged with the answer
 * @param challenge   the PKCE challenge, which the simulator requires
 */
record AuthorizationRequest(String clientId, String redirectUri, String scope, String state, CodeChallenge challenge) {

    AuthorizationRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(challenge, "challenge");
    }

    /**
     * The request these parameters make.
     *
     * @throws BadRequest saying what is wrong, when they make none: the answer must then be a page of
     *                    the simulator's own, never a redirect (RFC 6749 §4.1.2.1: a redirect URI or
     *                    client that cannot be trusted is not sent anything)
     */
    static AuthorizationRequest from(Query parameters) {
        String clientId = single(parameters, "client_id")
                .orElseThrow(() -> new BadRequest("client_id is missing."));
        String redirectUri = single(parameters, "redirect_uri")
                .orElseThrow(() -> new BadRequest("redirect_uri is missing."));
        requireRedirectable(redirectUri);
        String responseType = single(parameters, "response_type").orElse("");
        if (!responseType.equals("code")) {
            throw new BadRequest("response_type must be 'code' (the simulator serves the authorization code flow),"
                    + (responseType.isEmpty() ? " and it is missing." : " not '" + responseType + "'."));
        }
        String challenge = single(parameters, "code_challenge")
                .orElseThrow(() -> new BadRequest("code_challenge is missing: the simulator requires PKCE (RFC 7636)."));
        Optional<String> methodName = single(parameters, "code_challenge_method");
        CodeChallenge.Method method = CodeChallenge.Method.fromParameter(methodName)
                .orElseThrow(() -> new BadRequest("code_challenge_method must be S256 or plain, not '"
                        + methodName.orElse("") + "'."));
        return new AuthorizationRequest(clientId, redirectUri, single(parameters, "scope").orElse(null),
                single(parameters, "state").orElse(null), new CodeChallenge(challenge, method));
    }

    /** Where the browser goes with the code: {@code redirect_uri} plus {@code code} and {@code state}. */
    String redirectWithCode(String code) {
        return redirect("code=" + encode(code));
    }

    /** Where the browser goes when the user cancels: {@code access_denied}, as RFC 6749 §4.1.2.1 names it. */
    String redirectDenied() {
        return redirect("error=access_denied&error_description=" + encode("The user cancelled the sign-in."));
    }

    private String redirect(String parameters) {
        String withState = state == null ? parameters : parameters + "&state=" + encode(state);
        if (redirectUri.endsWith("?") || redirectUri.endsWith("&")) {
            return redirectUri + withState;
        }
        // Its own query is kept (RFC 6749 §3.1.2); a fragment was refused up front.
        return redirectUri + (redirectUri.indexOf('?') < 0 ? "?" : "&") + withState;
    }

    /** RFC 6749 §3.1: a parameter sent more than once makes the request invalid. */
    private static Optional<String> single(Query parameters, String name) {
        if (parameters.all(name).size() > 1) {
            throw new BadRequest(name + " is given more than once.");
        }
        return parameters.first(name);
    }

    /** An absolute http or https URI with a host and no fragment (RFC 6749 §3.1.2). */
    private static void requireRedirectable(String redirectUri) {
        String problem = "redirect_uri must be an absolute http or https URI without a fragment, not '"
                + redirectUri + "'.";
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (URISyntaxException e) {
            throw new BadRequest(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawFragment() != null) {
            throw new BadRequest(problem);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
