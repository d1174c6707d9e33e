package io.tedeesync.accounts;

import io.tedeesync.client.AuthenticationException;
import io.tedeesync.client.Credentials;
import io.tedeesync.client.ForbiddenException;
import io.tedeesync.client.RotatableCredentials;
import io.tedeesync.client.TedeeClient;
import io.tedeesync.client.TedeeConnectionException;
import io.tedeesync.client.TedeeException;
import io.tedeesync.server.AccountClients;
import io.tedeesync.server.AccountSpec;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreException;
import io.tedeesync.store.StoredAccount;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.SyncEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's accounts: those declared at start (flags, accounts file: read-only here) and those added
 * at runtime (the accounts API, sign-in), which are kept in the store with their credentials sealed
 * ({@link CredentialCipher}) and come back on every start. Adding checks the credentials with one call
 * before anything is kept; removing stops the account in the engine first, then deletes its row (and,
 * when asked, its locks and events). Thread-safe; a name is reserved while it is being added, so two
 * requests cannot add it twice.
 */
public final class AccountRegistry {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** How long a removal waits for the engine to have written the account's last changes. */
    private static final Duration REMOVE_WAIT = Duration.ofSeconds(15);

    /** How a runtime account becomes the engine's: its spec, and the request listener (metrics) for its name. */
    public interface Wiring {
        /** The engine's account for this spec (its client from {@link AccountClients}, with metrics). */
        io.tedeesync.sync.AccountConfig engineAccount(AccountSpec spec);

        /** Forgets what the metrics kept of a removed account. */
        void forget(String account);
    }

    /** The service's defaults for what an added account does not say. */
    public record Defaults(URI apiUrl, String apiVersion, Duration requestTimeout) {
    }

    private final LockStore store;
    private final CredentialCipher cipher;
    private final AccountClients clients;
    private final Wiring wiring;
    private final Clock clock;
    private final Executor storeWrites;
    private final Defaults defaults;
    private final Map<String, AccountSpec> declared;
    private final Instant startedAt;
    private final Map<String, RuntimeAccount> runtime = new ConcurrentHashMap<>();
    private final Set<String> reserved = ConcurrentHashMap.newKeySet();
    /** The locks each credentials check found, until the engine's first list replaces them. */
    private final Map<String, Integer> checkedLocks = new ConcurrentHashMap<>();
    private volatile SyncEngine engine;

    /**
     * @param cipher      null when no key is configured: then nothing can be added at runtime
     * @param storeWrites where rotated refresh tokens are written (the store's thread)
     */
    public AccountRegistry(LockStore store, CredentialCipher cipher, AccountClients clients, Wiring wiring, Clock clock, Executor storeWrites,
            Defaults defaults, List<AccountSpec> declared) {
        this.store = store;
        this.cipher = cipher;
        this.clients = clients;
        this.wiring = wiring;
        this.clock = clock;
        this.storeWrites = storeWrites;
        this.defaults = defaults;
        Map<String, AccountSpec> byName = new LinkedHashMap<>();
        declared.forEach(spec -> byName.put(spec.name(), spec));
        this.declared = Map.copyOf(byName);
        this.startedAt = clock.instant();
    }

    /**
     * The accounts earlier runs added, opened with the key: add them to the engine before it starts. A
     * stored account whose name is now declared is left out (the declaration wins, and a line says so).
     *
     * @throws CredentialCipher.WrongKeyException when the key does not open them, with what to do
     */
    public List<AccountSpec> loadStored(String keyHint) {
        List<AccountSpec> specs = new ArrayList<>();
        for (StoredAccount row : store.loadAccounts()) {
            if (declared.containsKey(row.name())) {
                LOG.warn("account {} is declared at start and was also added over the API; the declared one is used"
                        + " (remove the other with DELETE /api/accounts/{} once it is no longer declared)", row.name(), row.name());
                continue;
            }
            if (cipher == null) {
                throw new IllegalStateException("stored accounts need a key");
            }
            AccountCredentials secret;
            try {
                secret = AccountCredentials.fromJson(cipher.open(row.name(), row.sealedCredentials()));
            } catch (CredentialCipher.WrongKeyException e) {
                throw new CredentialCipher.WrongKeyException(e.getMessage() + "; " + keyHint, e.sealedWith());
            } catch (IllegalArgumentException e) {
                throw new CredentialCipher.WrongKeyException("the stored credentials of account " + row.name() + " are unreadable: "
                        + e.getMessage(), null);
            }
            RuntimeAccount account = track(row.name(), secret);
            account.stored(row);
            specs.add(spec(row.name(), account.credentials, row.apiUrl(), row.apiVersion(), row.syncInterval(), row.userIdentity()));
        }
        return specs;
    }

    /** The engine the accounts run in; once, after it is built. */
    public void attach(SyncEngine syncEngine) {
        this.engine = syncEngine;
    }

    /** Whether accounts can be added (a key is at hand). */
    public boolean canAdd() {
        return cipher != null;
    }

    /** Every account, in the engine's order. */
    public List<AccountView> list() {
        List<AccountStatus> statuses = engine.accounts();
        List<AccountView> views = new ArrayList<>(statuses.size());
        for (AccountStatus status : statuses) {
            views.add(view(status));
        }
        return views;
    }

    public Optional<AccountView> get(String name) {
        return engine.account(name).map(this::view);
    }

    /**
     * Checks the credentials with one call (the lock list), keeps the account in the store, and starts
     * syncing it.
     *
     * @throws AccountException {@code TAKEN}, {@code REFUSED} (with Tedee's message), {@code UNREACHABLE},
     *                          {@code STORE}, {@code INVALID}
     */
    public AccountView add(NewAccount request) {
        requireKey();
        String name = request.name();
        if (declared.containsKey(name) || runtime.containsKey(name) || !reserved.add(name)) {
            throw new AccountException(AccountException.Reason.TAKEN, "an account named " + name + " exists");
        }
        try {
            if (runtime.containsKey(name)) {
                throw new AccountException(AccountException.Reason.TAKEN, "an account named " + name + " exists");
            }
            URI apiUrl = request.apiUrl() != null ? request.apiUrl() : defaults.apiUrl();
            String apiVersion = request.apiVersion() != null ? request.apiVersion() : defaults.apiVersion();
            RuntimeAccount account = track(name, request.credentials());
            try {
                AccountSpec spec = spec(name, account.credentials, apiUrl, apiVersion, request.syncInterval(), request.userIdentity());
                int locks = check(spec, account.credentials.current());
                Instant now = clock.instant();
                synchronized (account) { // a refresh token rotated meanwhile is sealed here, or written after this
                    StoredAccount row = sealedRow(account, new StoredAccount(name, request.credentials().kind(), "-", apiUrl, apiVersion,
                            request.syncInterval(), request.userIdentity(), now, now));
                    if (!writeToStore(() -> store.insertAccount(row))) {
                        throw new AccountException(AccountException.Reason.TAKEN, "an account named " + name + " exists");
                    }
                    account.stored(row);
                }
                checkedLocks.put(name, locks);
                engine.addAccount(wiring.engineAccount(spec), List.of());
                LOG.info("account {} added ({}, {} lock(s)), syncing", name, request.credentials().kind(), locks);
                return get(name).orElseThrow();
            } catch (RuntimeException e) {
                runtime.remove(name, account);
                throw e;
            }
        } finally {
            reserved.remove(name);
        }
    }

    /**
     * An OAuth sign-in finished: a new account, or new credentials for an account added at runtime.
     *
     * @return the account and whether it is new
     */
    public Connected connect(String name, AccountCredentials.OAuth grant) {
        if (declared.containsKey(name)) {
            throw new AccountException(AccountException.Reason.DECLARED, declaredMessage(name));
        }
        if (runtime.containsKey(name)) {
            return new Connected(change(name, new AccountChange(false, null, grant)), false);
        }
        return new Connected(add(new NewAccount(name, grant, null, null, null, null)), true);
    }

    /** What a sign-in did. */
    public record Connected(AccountView account, boolean added) {
    }

    /**
     * Changes the interval, or rotates the credentials (checked with one call first; a failed account
     * then resumes).
     */
    public AccountView change(String name, AccountChange change) {
        RuntimeAccount account = runtimeAccount(name);
        if (change.credentials() != null) {
            requireKey();
            StoredAccount row = account.stored();
            AccountSpec probe = spec(name, change.credentials().toCredentials(clients.http(), clock, defaults.requestTimeout(), rotated -> { }),
                    row.apiUrl(), row.apiVersion(), row.syncInterval(), row.userIdentity());
            int locks = check(probe, probe.credentials());
            Credentials next = change.credentials().toCredentials(clients.http(), clock, defaults.requestTimeout(),
                    rotated -> rotated(account, rotated));
            synchronized (account) {
                account.secret(change.credentials());
                StoredAccount updated = sealedRow(account, row.withSealedCredentials("-", clock.instant()));
                StoredAccount withKind = new StoredAccount(updated.name(), change.credentials().kind(), updated.sealedCredentials(),
                        updated.apiUrl(), updated.apiVersion(), updated.syncInterval(), updated.userIdentity(), updated.addedAt(),
                        updated.updatedAt());
                writeToStore(() -> store.updateAccount(withKind));
                account.stored(withKind);
                account.credentials.rotate(next);
            }
            checkedLocks.put(name, locks);
            engine.resumeAccount(name);
            LOG.info("account {}: credentials replaced ({})", name, change.credentials().kind());
        }
        if (change.changesInterval()) {
            synchronized (account) {
                StoredAccount updated = account.stored().withSyncInterval(change.syncInterval(), clock.instant());
                writeToStore(() -> store.updateAccount(updated));
                account.stored(updated);
            }
            engine.changeSyncInterval(name, change.syncInterval());
            LOG.info("account {}: sync interval now {}", name, change.syncInterval() == null ? "the service's" : change.syncInterval());
        }
        return get(name).orElseThrow(() -> new AccountException(AccountException.Reason.NOT_FOUND, "no account " + name));
    }

    /** Stops syncing the account and deletes it; its locks and events stay unless {@code purge}. */
    public void remove(String name, boolean purge) {
        RuntimeAccount account = runtimeAccount(name);
        try {
            engine.removeAccount(name).get(REMOVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccountException(AccountException.Reason.STORE, "interrupted while removing " + name);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("account {}: its last changes were not written within {} s of its removal", name, REMOVE_WAIT.toSeconds());
        }
        runtime.remove(name, account);
        checkedLocks.remove(name);
        wiring.forget(name);
        writeToStore(() -> store.deleteAccount(name, purge));
        LOG.info("account {} removed{}", name, purge ? " with its locks and events" : " (its locks and events stay in the store)");
    }

    /** Whether this name is declared at start (flags or accounts file). */
    public boolean isDeclared(String name) {
        return declared.containsKey(name);
    }

    private RuntimeAccount runtimeAccount(String name) {
        if (declared.containsKey(name)) {
            throw new AccountException(AccountException.Reason.DECLARED, declaredMessage(name));
        }
        RuntimeAccount account = runtime.get(name);
        if (account == null || account.stored() == null) {
            throw new AccountException(AccountException.Reason.NOT_FOUND, "no account " + name);
        }
        return account;
    }

    private static String declaredMessage(String name) {
        return "account " + name + " is declared at start (flags or the accounts file): change it there and restart";
    }

    private RuntimeAccount track(String name, AccountCredentials secret) {
        RuntimeAccount[] holder = new RuntimeAccount[1];
        Credentials credentials = secret.toCredentials(clients.http(), clock, defaults.requestTimeout(), rotated -> rotated(holder[0], rotated));
        RuntimeAccount account = new RuntimeAccount(name, secret, Credentials.rotatable(credentials));
        holder[0] = account;
        runtime.put(name, account);
        return account;
    }

    /** The token endpoint rotated the refresh token: the old one is spent, so the new one is stored at once. */
    private void rotated(RuntimeAccount account, AccountCredentials.OAuth newer) {
        account.secret(newer);
        storeWrites.execute(() -> {
            try {
                synchronized (account) {
                    StoredAccount row = account.stored();
                    if (row == null || runtime.get(account.name) != account) {
                        return; // not stored yet (its insert seals the newest) or removed
                    }
                    StoredAccount updated = sealedRow(account, row.withSealedCredentials("-", clock.instant()));
                    store.updateAccount(updated);
                    account.stored(updated);
                }
            } catch (RuntimeException e) {
                LOG.warn("account {}: could not store its rotated refresh token ({}); a restart may need a new sign-in",
                        account.name, e.getMessage());
            }
        });
    }

    /** The row with the account's newest credentials sealed into it. */
    private StoredAccount sealedRow(RuntimeAccount account, StoredAccount row) {
        synchronized (account) {
            return row.withSealedCredentials(cipher.seal(row.name(), account.secret().toJson()), row.updatedAt());
        }
    }

    /** One call with the credentials: the lock list. */
    private int check(AccountSpec spec, Credentials credentials) {
        TedeeClient client = clients.builder(spec).credentials(credentials).build();
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
            throw new AccountException(AccountException.Reason.UNREACHABLE, "the credentials check failed: " + cause);
        }
    }

    private boolean writeToStore(java.util.function.BooleanSupplier write) {
        try {
            return write.getAsBoolean();
        } catch (StoreException e) {
            throw new AccountException(AccountException.Reason.STORE, "the store could not keep the account: " + e.getMessage());
        }
    }

    private void requireKey() {
        if (cipher == null) {
            throw new AccountException(AccountException.Reason.STORE, "no key to seal credentials with");
        }
    }

    private AccountSpec spec(String name, Credentials credentials, URI apiUrl, String apiVersion, Duration interval, String userIdentity) {
        return new AccountSpec(name, apiUrl, apiVersion, credentials, interval, userIdentity, defaults.requestTimeout());
    }

    private AccountView view(AccountStatus status) {
        AccountSpec spec = declared.get(status.name());
        if (spec != null) {
            return new AccountView(status.name(), kind(spec.credentials()), "declared", status, startedAt, spec.apiUrl(), spec.apiVersion(),
                    spec.userIdentity(), null);
        }
        RuntimeAccount account = runtime.get(status.name());
        StoredAccount row = account == null ? null : account.stored();
        if (row == null) {
            return new AccountView(status.name(), "unknown", "api", status, null, null, null, null, null);
        }
        Integer checked = checkedLocks.get(status.name());
        if (checked != null && status.lastSuccessAt() != null) {
            checkedLocks.remove(status.name()); // the engine's own list is in
            checked = null;
        }
        return new AccountView(status.name(), row.credentialKind(), "api", status, row.addedAt(), row.apiUrl(), row.apiVersion(),
                row.userIdentity(), checked);
    }

    private static String kind(Credentials credentials) {
        return "PersonalKey".equals(credentials.scheme()) ? "personalKey" : "oauth";
    }

    /** Used by tests: the runtime accounts' count. */
    int runtimeCount() {
        return runtime.size();
    }
}
