package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code POST /oauth2/v2.0/token} with {@code grant_type=refresh_token}, answered like Azure AD B2C
 * (howtos/authenticate.rst): plain JSON, no envelope, {@code expires_in} a string as in the sample.
 * Other form fields ({@code client_id}, {@code scope}, ...) are accepted and ignored. Thread-safe.
 */
final class OAuthEndpoint {

    private final Simulation simulation;

    OAuthEndpoint(Simulation simulation) {
        this.simulation = simulation;
    }

    Response token(Call call) {
        Query form = Query.parse(new String(call.body(), StandardCharsets.UTF_8));
        String grantType = form.first("grant_type").orElse("");
        if (!grantType.equals("refresh_token")) {
            return error("unsupported_grant_type", "The simulator grants refresh_token only.");
        }
        Optional<String> account = simulation.tokens()
                .refreshTokenAccount(form.first("refresh_token").orElse(null), call.at());
        if (account.isEmpty()) {
            return error("invalid_grant", "The refresh token is invalid or has expired.");
        }
        String identity = simulation.world().identityOf(account.get());
        TokenStore.Issued issued = simulation.tokens().issue(account.get(), identity, call.at());
        ObjectNode body = WireJson.object()
                .put("not_before", Long.toString(issued.at().getEpochSecond()))
                .put("token_type", "Bearer")
                .put("access_token", issued.tokens().accessToken())
                .put("expires_in", Long.toString(TokenStore.ACCESS_LIFETIME.toSeconds()))
                .put("refresh_token", issued.tokens().refreshToken())
                .put("refresh_token_expires_in", TokenStore.REFRESH_LIFETIME.toSeconds());
        return Response.json(200, body).withAccount(account.get());
    }

    private static Response error(String code, String description) {
        return Response.json(400, WireJson.object().put("error", code).put("error_description", description));
    }
}
