package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.accounts.AccountClients;
import io.tedeesync.accounts.AccountRegistry;
import io.tedeesync.accounts.CredentialCipher;
import io.tedeesync.accounts.RuntimeAccountSettings;
import io.tedeesync.accounts.SecretKeyFile;
import io.tedeesync.accounts.SignIn;
import io.tedeesync.accounts.SignInSettings;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.store.LockStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.IntSupplier;

/** How the service puts together its accounts registry and sign-in from the settings. Stateless. */
final class RuntimeAccounts {
    private RuntimeAccounts() {
    }

    /**
     * The sealing key, when one is needed: always with the accounts API on (the key file is created on first
     * start), else only when earlier runs stored accounts or webhook endpoints (then the key must exist); null
     * otherwise. It seals the accounts' credentials and the webhook endpoints' secrets.
     */
    static CredentialCipher cipher(ServiceSettings settings, LockStore store) {
        RuntimeAccountSettings runtime = settings.runtimeAccounts();
        boolean stored = !store.loadAccounts().isEmpty() || !store.webhooks().endpoints().isEmpty();
        if (!runtime.enabled() && !stored) {
            return null;
        }
        try { // a key is created only for a store that has no sealed secrets yet: else it must be the one they need
            return SecretKeyFile.load(runtime.secretKey(), settings.dataDir(), runtime.enabled() && !stored, new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** The registry, with the sealing key from {@link #cipher} (null when none is needed). */
    static AccountRegistry registry(ServiceSettings settings, LockStore store, CredentialCipher cipher, AccountClients clients,
            SyncMetrics metrics, Clock clock, java.util.concurrent.ScheduledExecutorService storeWrites) {
        RuntimeAccountSettings runtime = settings.runtimeAccounts();
        AccountRegistry.Wiring wiring = new AccountRegistry.Wiring() {
            @Override
            public io.tedeesync.sync.AccountConfig engineAccount(AccountSpec spec) {
                return clients.engineAccount(spec, metrics.requestListener(spec.name()));
            }

            @Override
            public void forget(String account) {
                metrics.forget(account);
            }
        };
        AccountRegistry.Defaults defaults = new AccountRegistry.Defaults(runtime.apiUrl(), runtime.apiVersion(), runtime.requestTimeout());
        return new AccountRegistry(store, cipher, clients, wiring, clock, storeWrites, defaults, settings.accounts());
    }

    /** What to do when the key does not open the stored credentials. */
    static String keyHint(ServiceSettings settings) {
        return settings.runtimeAccounts().secretKey() != null
                ? SecretKeyFile.VARIABLE + " holds another key than the one they were stored with: set it to that key"
                : "the key file " + settings.dataDir().resolve(SecretKeyFile.FILE_NAME) + " is not the one they were stored with:"
                        + " restore it, or set " + SecretKeyFile.VARIABLE + " to that key";
    }

    /** Sign-in with Tedee, when configured (it needs the accounts API); the redirect URI from the bound port unless given. */
    static SignIn signIn(ServiceSettings settings, AccountRegistry registry, AccountClients clients, Clock clock, IntSupplier port) {
        SignInSettings signIn = settings.runtimeAccounts().signIn();
        if (signIn == null || !settings.runtimeAccounts().enabled()) {
            return null;
        }
        String host = settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? "localhost" : settings.bind();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return new SignIn(signIn, () -> signIn.redirectUri() != null ? signIn.redirectUri()
                : URI.create("http://" + literal + ":" + port.getAsInt() + "/oauth/callback"), registry, clients.http(), clock,
                new SecureRandom(), settings.runtimeAccounts().requestTimeout());
    }
}
