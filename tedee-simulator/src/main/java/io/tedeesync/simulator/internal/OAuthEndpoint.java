package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /oauth2/v2.0/token}, answered like Azure AD B2C (howtos/authenticate.rst): plain JSON,
 * no envelope, {@code expires_in} a string as in the sample. Two grants:
 * <ul>
 *   <li>{@code authorization_code} (step 2): {@code client_id}, {@code code}, {@code code_verifier} and
 *       {@code redirect_uri}, checked against the code the sign-in page issued (see
 *       {@link AuthorizationCodes}); {@code client_secret} is accepted and ignored.</li>
 *   <li>{@code refresh_token} (step 3): other form fields ({@code client_id}, {@code scope}, ...) are
 *       accepted and ignored.</li>
 * </ul>
 * Both answer a fresh pair from the {@link TokenStore} in the same shape. Thread-safe.
 */
final class OAuthEndpoint {

    private final Simulation simulation;

    OAuthEndpoint(Simulation simulation) {
        this.simulation = simulation;
    }

    Response token(Call call) {
        Query form = Query.parse(new String(call.body(), StandardCharsets.UTF_8));
        String grantType = form.first("grant_type").orElse("");
        return switch (grantType) {
            case "authorization_code" -> authorizationCode(form, call);
            case "refresh_token" -> refresh(form, call);
            default -> error("unsupported_grant_type", "The simulator grants authorization_code and refresh_token only.");
        };
    }

    private Response authorizationCode(Query form, Call call) {
        for (String required : new String[] {"code", "code_verifier", "client_id", "redirect_uri"}) {
            if (form.first(required).isEmpty()) {
                return error("invalid_request", "The " + required + " parameter is missing.");
            }
        }
        AuthorizationCodes.Redemption redemption = simulation.authorizationCodes().redeem(form.first("code").get(),
                form.first("client_id").get(), form.first("redirect_uri").get(), form.first("code_verifier").get(),
                call.at());
        if (redemption instanceof AuthorizationCodes.Refused refused) {
            return error("invalid_grant", refused.description());
        }
        return tokens(((AuthorizationCodes.Redeemed) redemption).account(), call);
    }

    private Response refresh(Query form, Call call) {
        Optional<String> account = simulation.tokens()
                .useRefreshToken(form.first("refresh_token").orElse(null), call.at());
        if (account.isEmpty()) {
            return error("invalid_grant", "The refresh token is invalid or has expired.");
        }
        return tokens(account.get(), call);
    }

    private Response tokens(String account, Call call) {
        String identity = simulation.world().identityOf(account);
        TokenStore.Issued issued = simulation.tokens().issue(account, identity, call.at());
        ObjectNode body = WireJson.object()
                .put("not_before", Long.toString(issued.at().getEpochSecond()))
                .put("token_type", "Bearer")
                .put("access_token", issued.tokens().accessToken())
                .put("expires_in", Long.toString(TokenStore.ACCESS_LIFETIME.toSeconds()))
                .put("refresh_token", issued.tokens().refreshToken())
                .put("refresh_token_expires_in", TokenStore.REFRESH_LIFETIME.toSeconds());
        return Response.json(200, body).withAccount(account);
    }

    private static Response error(String code, String description) {
        return Response.json(400, WireJson.object().put("error", code).put("error_description", description));
    }
}
