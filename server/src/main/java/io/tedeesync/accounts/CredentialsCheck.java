package io.tedeesync.accounts;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.Credentials;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.TedeeConnectionException;
import io.tedeesync.client.TedeeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks an account's credentials with one call before anything is kept: its lock list. Tedee's refusal,
 * its silence and a setting the client refuses (an API version, a URL) each become the
 * {@link AccountException} the accounts API answers. Stateless and thread-safe.
 */
final class CredentialsCheck {
    private final AccountClients clients;

    CredentialsCheck(AccountClients clients) {
        this.clients = clients;
    }

    /**
     * @return the number of locks the account has
     * @throws AccountException {@code INVALID} (the client refuses a setting), {@code REFUSED}, {@code UNREACHABLE}
     */
    int locks(AccountSpec spec, Credentials credentials) {
        TedeeClient client = build(spec, credentials);
        try {
            return client.getLockEntriesAsync().get(spec.requestTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS).readable().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccountException(AccountException.Reason.UNREACHABLE, "interrupted while checking the credentials");
        } catch (TimeoutException e) {
            throw new AccountException(AccountException.Reason.UNREACHABLE, "Tedee did not answer the credentials check in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException || cause instanceof ForbiddenException) {
                throw new AccountException(AccountException.Reason.REFUSED, "Tedee refused the credentials: " + cause.getMessage());
            }
            if (cause instanceof TedeeConnectionException) {
                throw new AccountException(AccountException.Reason.UNREACHABLE, "could not reach Tedee: " + cause.getMessage());
            }
            if (cause instanceof TedeeException) {
                throw new AccountException(AccountException.Reason.UNREACHABLE, "Tedee failed the credentials check: " + cause.getMessage());
            }
            throw new AccountException(AccountException.Reason.UNREACHABLE, "the credentials check failed: " + cause.getClass().getSimpleName());
        }
    }

    /** The client for the spec, or {@code INVALID} when it refuses a setting (API version, URL). */
    TedeeClient build(AccountSpec spec, Credentials credentials) {
        try {
            return clients.builder(spec).credentials(credentials).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new AccountException(AccountException.Reason.INVALID, e.getMessage());
        }
    }
}
