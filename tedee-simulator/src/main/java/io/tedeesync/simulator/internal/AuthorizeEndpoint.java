package io.tedeesync.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The interactive half of the code flow (howtos/authenticate.rst, step 1): {@code GET
 * /oauth2/v2.0/authorize} shows the sign-in page, and the page's {@code POST} to the same path either
 * signs in as one of the simulator's accounts ({@code account=<name>}: a redirect with a fresh code)
 * or cancels ({@code deny=1}: a redirect with {@code access_denied}). A request that is not a valid
 * authorization request gets a 400 page instead, never a redirect. Thread-safe.
 */
final class AuthorizeEndpoint {

    private final Simulation simulation;

    AuthorizeEndpoint(Simulation simulation) {
        this.simulation = simulation;
    }

    Response page(Call call) {
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.from(call.query());
        } catch (BadRequest e) {
            return refused(e.getMessage());
        }
        return Response.html(200, SignInPage.offer(request, simulation.world().accountNames()));
    }

    Response decide(Call call) {
        Query form = Query.parse(new String(call.body(), StandardCharsets.UTF_8));
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.from(form);
        } catch (BadRequest e) {
            return refused(e.getMessage());
        }
        if (form.first("deny").isPresent()) {
            return Response.redirect(request.redirectDenied());
        }
        Optional<String> account = form.first("account");
        if (account.isEmpty()) {
            return refused("Choose an account to sign in as (account=<name>), or cancel (deny=1).");
        }
        if (!simulation.world().hasAccount(account.get())) {
            return refused("The simulator has no account named '" + account.get() + "'.");
        }
        String code = simulation.authorizationCodes().issue(account.get(), request, call.at());
        return Response.redirect(request.redirectWithCode(code)).withAccount(account.get());
    }

    private static Response refused(String problem) {
        return Response.html(400, SignInPage.refused(problem));
    }
}
