package io.tedeesync.accounts;

import io.tedeesync.client.Credentials;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's accounts: those declared at start (flags, accounts file: read-only here) and those added
 * at runtime (the accounts API, sign-in), which are kept in the store with their credentials sealed
 * ({@link CredentialCipher}) and come back on every start. Adding checks the credentials with one call
 * before anything is kept, and an account is in the engine exactly when its row is stored; removing
 * deletes the row first (a store that fails changes nothing), then stops the account in the engine once
 * its last changes are written, then, when asked, purges its locks and events. Thread-safe: a name is
 * reserved while it is being added, and each account's monitor orders the writes of its row.
 */
public final class AccountRegistry {
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");
    /** How long a removal waits for the engine to have written the account's last changes (the engine's own wait, and a margin). */
    private static final Duration REMOVE_WAIT = Duration.ofSeconds(15);

    /** How a runtime account becomes the engine's: its spec, and the request listener (metrics) for its name. */
    public interface Wiring {
        /** The engine's account for this spec (its client from {@link AccountClients}, with metrics). */
        io.tedeesync.sync.AccountConfig engineAccount(AccountSpec spec);

        /** Forgets what the metrics kept of a removed account. */
        void forget(String account);
    }

    /**
     * Where an account added at runtime runs: in this instance's engine, or (several instances on one
     * database) under a lease taken at once by this instance ({@code ClusterMember.adopt}), whose row
     * goes when the account is removed.
     */
    public interface Placement {
        /** Starts the account, seeded with what the store knew. */
        void start(io.tedeesync.sync.AccountConfig config, List<io.tedeesync.sync.MirroredLock> seed);

        /** The account was removed and is stopped here: forget where it ran. */
        void removed(String name);

        /**
         * Forgets an account that is neither declared here nor stored but still known where accounts run (a
         * cluster's lease row of an account taken out of every accounts file); false when there is none.
         */
        default boolean removeLeftover(String name) {
            return false;
        }
    }

    /** The service's defaults for what an added account does not say. */
    public record Defaults(URI apiUrl, String apiVersion, Duration requestTimeout) {
    }

    private final LockStore store;
    private final CredentialCipher cipher;
    private final AccountClients clients;
    private final CredentialsCheck check;
    private final Wiring wiring;
    private final Clock clock;
    private final SealedRows rows;
    private final Defaults defaults;
    private final Map<String, AccountSpec> declared;
    private final Map<String, RuntimeAccount> runtime = new ConcurrentHashMap<>();
    /** Stored rows that could not be opened at start (altered, unreadable): not running, removable. */
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    private final Set<String> reserved = ConcurrentHashMap.newKeySet();
    /** The locks each credentials check found, until the engine's first list replaces them. */
    private final Map<String, Integer> checkedLocks = new ConcurrentHashMap<>();
    private final AccountViews views;
    private volatile SyncEngine engine;
    private volatile Placement placement;

    /**
     * @param cipher      null when no key is configured: then nothing can be added at runtime
     * @param storeWrites where rotated refresh tokens are written, and retried (the store's thread)
     */
    public AccountRegistry(LockStore store, CredentialCipher cipher, AccountClients clients, Wiring wiring, Clock clock,
            ScheduledExecutorService storeWrites, Defaults defaults, List<AccountSpec> declared) {
        this.store = store;
        this.cipher = cipher;
        this.clients = clients;
        this.check = new CredentialsCheck(clients);
        this.wiring = wiring;
        this.clock = clock;
        this.rows = new SealedRows(store, cipher, clock, storeWrites, account -> runtime.get(account.name) == account);
        this.defaults = defaults;
        Map<String, AccountSpec> byName = new LinkedHashMap<>();
        declared.forEach(spec -> byName.put(spec.name(), spec));
        this.declared = Map.copyOf(byName);
        this.views = new AccountViews(this.declared, clock.instant(), name -> {
            RuntimeAccount account = runtime.get(name);
            return account == null ? null : account.stored();
        }, checkedLocks);
    }

    /**
     * The accounts earlier runs added, opened with the key: add them to the engine before it starts. A
     * stored account whose name is now declared is left out (the declaration wins, and a line says so); one
     * whose row does not open or holds a setting this version refuses is left out with an error line, and
     * can be removed over the API.
     *
     * @throws CredentialCipher.WrongKeyException when another key sealed them, with what to do
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
            try {
                AccountCredentials secret = AccountCredentials.fromJson(cipher.open(row.name(), row.apiUrl(), row.sealedCredentials()));
                RuntimeAccount account = track(row.name(), secret);
                AccountSpec spec = spec(row.name(), account.credentials, row.apiUrl(), row.apiVersion(), row.syncInterval(), row.userIdentity());
                check.build(spec, account.credentials);
                wiring.engineAccount(spec);
                account.stored(row);
                runtime.put(row.name(), account);
                specs.add(spec);
            } catch (CredentialCipher.WrongKeyException e) {
                if (e.sealedWith() != null && !e.sealedWith().equals(cipher.keyId())) {
                    throw new CredentialCipher.WrongKeyException(e.getMessage() + "; " + keyHint, e.sealedWith());
                }
                leaveOut(row.name(), e.getMessage());
            } catch (IllegalArgumentException | AccountException e) {
                leaveOut(row.name(), e.getMessage());
            }
        }
        return specs;
    }

    private void leaveOut(String name, String why) {
        unreadable.put(name, why);
        LOG.error("account {} is not started: {}; remove it with DELETE /api/accounts/{} and add it again", name, why, name);
    }

    /** The engine the accounts run in; once, after it is built. Added accounts start in it. */
    public void attach(SyncEngine syncEngine) {
        attach(syncEngine, new Placement() {
            @Override
            public void start(io.tedeesync.sync.AccountConfig config, List<io.tedeesync.sync.MirroredLock> seed) {
                syncEngine.addAccount(config, seed);
            }

            @Override
            public void removed(String name) {
                // nothing else knows where it ran
            }
        });
    }

    /** The engine the accounts run in, and where added accounts start; once, after it is built. */
    public void attach(SyncEngine syncEngine, Placement where) {
        this.engine = syncEngine;
        this.placement = where;
    }

    /** The names of the accounts stored by the accounts API (not declared ones), for a cluster's lease rows. */
    public List<String> storedNames() {
        return store.loadAccounts().stream().map(StoredAccount::name)
                .filter(name -> !declared.containsKey(name) && !unreadable.containsKey(name)).toList();
    }

    /**
     * The engine's account for a stored account, opened from its row as stored now (another instance may
     * have rotated its refresh token or changed it since): for an instance that takes the account over. It
     * is tracked here until {@link #closed}. Empty when no such row is stored or it does not open here.
     */
    public Optional<io.tedeesync.sync.AccountConfig> openStored(String name) {
        if (declared.containsKey(name) || cipher == null) {
            return Optional.empty();
        }
        Optional<StoredAccount> found = store.loadAccount(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredAccount row = found.get();
        try {
            AccountCredentials secret = AccountCredentials.fromJson(cipher.open(row.name(), row.apiUrl(), row.sealedCredentials()));
            RuntimeAccount account = track(row.name(), secret);
            AccountSpec spec = spec(row.name(), account.credentials, row.apiUrl(), row.apiVersion(), row.syncInterval(), row.userIdentity());
            check.build(spec, account.credentials);
            io.tedeesync.sync.AccountConfig config = wiring.engineAccount(spec);
            account.stored(row);
            runtime.put(row.name(), account);
            return Optional.of(config);
        } catch (IllegalArgumentException | AccountException | CredentialCipher.WrongKeyException e) {
            LOG.error("account {} cannot run here: {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    /** A stored account stopped running on this instance (another one owns it now): forget its credentials here, not its row. */
    public void closed(String name) {
        RuntimeAccount account = runtime.remove(name);
        if (account != null) {
            checkedLocks.remove(name);
            wiring.forget(name);
        }
    }

    /** Whether accounts can be added (a key is at hand). */
    public boolean canAdd() {
        return cipher != null;
    }

    /** Every account, in the engine's order. */
    public List<AccountView> list() {
        List<AccountStatus> statuses = engine.accounts();
        List<AccountView> all = new ArrayList<>(statuses.size());
        for (AccountStatus status : statuses) {
            all.add(views.of(status));
        }
        return all;
    }

    public Optional<AccountView> get(String name) {
        return engine.account(name).map(views::of);
    }

    /**
     * Checks the credentials with one call (the lock list), keeps the account in the store, and starts
     * syncing it, seeded with what the store still knew of an account of that name.
     *
     * @throws AccountException {@code TAKEN}, {@code REFUSED} (with Tedee's message), {@code UNREACHABLE},
     *                          {@code STORE}, {@code INVALID}
     */
    public AccountView add(NewAccount request) {
        requireKey();
        String name = request.name();
        if (declared.containsKey(name) || runtime.containsKey(name) || unreadable.containsKey(name) || !reserved.add(name)) {
            throw new AccountException(AccountException.Reason.TAKEN, "an account named " + name + " exists");
        }
        try {
            URI apiUrl = request.apiUrl() != null ? request.apiUrl() : defaults.apiUrl();
            String apiVersion = request.apiVersion() != null ? request.apiVersion() : defaults.apiVersion();
            RuntimeAccount account = track(name, request.credentials());
            AccountSpec spec = spec(name, account.credentials, apiUrl, apiVersion, request.syncInterval(), request.userIdentity());
            int locks = check.locks(spec, account.credentials);
            Instant now = clock.instant();
            synchronized (account) { // a refresh token rotated meanwhile is sealed here, or written after this
                StoredAccount row = rows.sealed(account, new StoredAccount(name, request.credentials().kind(), "-", apiUrl, apiVersion,
                        request.syncInterval(), request.userIdentity(), now, now));
                if (!writeToStore(() -> store.insertAccount(row))) {
                    throw new AccountException(AccountException.Reason.TAKEN, "an account named " + name + " exists");
                }
                try {
                    java.util.List<io.tedeesync.sync.MirroredLock> seed = store.loadLocks(name);
                    placement.start(wiring.engineAccount(spec), seed);
                } catch (RuntimeException e) {
                    undoInsert(name, e.getMessage());
                    throw e instanceof StoreException ? new AccountException(AccountException.Reason.STORE,
                            "the store could not keep the account: " + e.getMessage()) : e;
                }
                account.stored(row);
                runtime.put(name, account);
            }
            checkedLocks.put(name, locks);
            LOG.info("account {} added ({}, {} lock(s)), syncing", name, request.credentials().kind(), locks);
            return get(name).orElseThrow();
        } finally {
            reserved.remove(name);
        }
    }

    private void undoInsert(String name, String why) {
        try {
            store.deleteAccount(name, false);
        } catch (RuntimeException e) {
            unreadable.put(name, "its add failed (" + why + ") and its row could not be taken back");
            LOG.warn("account {}: could not take back its row after a failed add ({}); remove it with DELETE", name, e.getMessage());
        }
    }

    /** What a sign-in did. */
    public record Connected(AccountView account, boolean added) {
    }

    /**
     * An OAuth sign-in finished: a new account, or new credentials for an account added at runtime, as long
     * as they are the same Tedee user's.
     *
     * @param userIdentity the signed-in user (the access token's {@code oid}), or null when unknown
     */
    public Connected connect(String name, AccountCredentials.OAuth grant, String userIdentity) {
        if (declared.containsKey(name)) {
            throw new AccountException(AccountException.Reason.DECLARED, declaredMessage(name));
        }
        RuntimeAccount existing = runtime.get(name);
        if (existing != null) {
            StoredAccount row = existing.stored();
            String known = row == null ? null : row.userIdentity();
            if (known != null && userIdentity != null && !known.equals(userIdentity)) {
                throw new AccountException(AccountException.Reason.REFUSED, "account " + name + " belongs to another Tedee user than the one"
                        + " who signed in; to connect this user, choose another name (or remove " + name + " first)");
            }
            return new Connected(change(name, new AccountChange(false, null, grant), userIdentity), false);
        }
        return new Connected(add(new NewAccount(name, grant, null, null, null, userIdentity)), true);
    }

    /**
     * Changes the interval, or rotates the credentials (checked with one call first, with the very
     * credentials the account then uses; a failed account then resumes). Nothing changes when the store
     * cannot keep it.
     */
    public AccountView change(String name, AccountChange change) {
        return change(name, change, null);
    }

    /** @param signedInUser the Tedee user who signed in, recorded when the account did not know its user yet */
    private AccountView change(String name, AccountChange change, String signedInUser) {
        RuntimeAccount account = runtimeAccount(name);
        if (change.credentials() != null) {
            requireKey();
            int generation = account.nextTicket();
            AtomicReference<AccountCredentials> latest = new AtomicReference<>(change.credentials());
            Credentials next = change.credentials().toCredentials(clients.http(), clock, defaults.requestTimeout(), rotated -> {
                latest.set(rotated); // a refresh during the check: the token the check spent is not kept
                rows.rotated(account, generation, rotated);
            });
            StoredAccount before = account.stored();
            int locks = check.locks(spec(name, next, before.apiUrl(), before.apiVersion(), before.syncInterval(), before.userIdentity()), next);
            synchronized (account) {
                StoredAccount row = current(account);
                AccountCredentials previous = account.secret();
                account.secret(latest.get());
                Duration interval = change.changesInterval() ? change.syncInterval() : row.syncInterval();
                String user = row.userIdentity() != null ? row.userIdentity() : signedInUser;
                StoredAccount sealed = rows.sealed(account, new StoredAccount(name, change.credentials().kind(), "-", row.apiUrl(),
                        row.apiVersion(), interval, user, row.addedAt(), clock.instant()));
                try {
                    requireRow(name, writeToStore(() -> store.updateAccount(sealed)));
                } catch (AccountException e) {
                    account.secret(previous);
                    throw e;
                }
                account.generation(generation);
                account.stored(sealed);
                account.credentials.rotate(next);
                if (change.changesInterval()) {
                    engine.changeSyncInterval(name, change.syncInterval());
                }
            }
            checkedLocks.put(name, locks);
            engine.resumeAccount(name);
            LOG.info("account {}: credentials replaced ({})", name, change.credentials().kind());
        }
        if (change.changesInterval() && change.credentials() == null) {
            synchronized (account) { // the store and the engine see interval changes in the same order
                StoredAccount updated = current(account).withSyncInterval(change.syncInterval(), clock.instant());
                requireRow(name, writeToStore(() -> store.updateAccount(updated)));
                account.stored(updated);
                engine.changeSyncInterval(name, change.syncInterval());
            }
            LOG.info("account {}: sync interval now {}", name, change.syncInterval() == null ? "the service's" : change.syncInterval());
        }
        return get(name).orElseThrow(() -> new AccountException(AccountException.Reason.NOT_FOUND, "no account " + name));
    }

    /**
     * Deletes the account's row (a store that fails changes nothing), stops syncing it once its last
     * changes are written, and with {@code purge} deletes its locks and events. {@code DELETE ?purge=true}
     * of a name whose account is gone purges what it left (a purge that could not run before).
     */
    public void remove(String name, boolean purge) {
        if (declared.containsKey(name)) {
            throw new AccountException(AccountException.Reason.DECLARED, declaredMessage(name));
        }
        if (unreadable.containsKey(name)) {
            writeToStore(() -> store.deleteAccount(name, purge));
            unreadable.remove(name);
            placement.removed(name);
            LOG.info("account {} (not started: unreadable) removed", name);
            return;
        }
        if (!reserved.add(name)) {
            throw new AccountException(AccountException.Reason.TAKEN, "account " + name + " is being added or removed; try again");
        }
        try {
            removeReserved(name, purge);
        } finally {
            reserved.remove(name);
        }
    }

    /** {@link #remove} with the name held, so that nothing adds it again before its metrics and data are gone. */
    private void removeReserved(String name, boolean purge) {
        RuntimeAccount account = runtime.get(name);
        if (account == null || account.stored() == null) {
            boolean leftover = store.loadAccount(name).isEmpty() && placement.removeLeftover(name);
            if (leftover) {
                LOG.info("account {}: its leftover lease row (declared nowhere any more) is removed", name);
            }
            if (purge && writeToStore(() -> store.purgeAccount(name) > 0)) {
                LOG.info("the locks and events left by account {} are deleted", name);
                return;
            }
            if (leftover) {
                return;
            }
            throw new AccountException(AccountException.Reason.NOT_FOUND, "no account " + name);
        }
        synchronized (account) {
            current(account);
            requireRow(name, writeToStore(() -> store.deleteAccount(name, false)));
            account.stored(null);
            runtime.remove(name, account);
        }
        checkedLocks.remove(name);
        boolean written = stopInEngine(name);
        placement.removed(name);
        wiring.forget(name);
        if (purge && !written) {
            throw new AccountException(AccountException.Reason.STORE, "account " + name + " is removed, but the store has not written its"
                    + " last changes yet, so its locks and events are not deleted: DELETE it again with ?purge=true once the store works");
        }
        if (purge) {
            try {
                store.purgeAccount(name);
            } catch (StoreException e) {
                throw new AccountException(AccountException.Reason.STORE, "account " + name + " is removed, but its locks and events could"
                        + " not be deleted (" + e.getMessage() + "): DELETE it again with ?purge=true");
            }
        }
        LOG.info("account {} removed{}", name, purge ? " with its locks and events" : " (its locks and events stay in the store)");
    }

    /** Stops the account in the engine; whether its last changes were written. */
    private boolean stopInEngine(String name) {
        try {
            engine.removeAccount(name).get(REMOVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("account {}: removed before the store wrote its last changes (they are still offered to it)", name);
            return false;
        }
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

    /** The account's row, under its monitor; {@code NOT_FOUND} when it was removed meanwhile. */
    private StoredAccount current(RuntimeAccount account) {
        StoredAccount row = account.stored();
        if (row == null || runtime.get(account.name) != account) {
            throw new AccountException(AccountException.Reason.NOT_FOUND, "no account " + account.name);
        }
        return row;
    }

    private static void requireRow(String name, boolean written) {
        if (!written) {
            throw new AccountException(AccountException.Reason.NOT_FOUND, "no account " + name);
        }
    }

    private static String declaredMessage(String name) {
        return "account " + name + " is declared at start (flags or the accounts file): change it there and restart";
    }

    /** A new account's credentials (generation 0), rotations of which it keeps. Not registered yet. */
    private RuntimeAccount track(String name, AccountCredentials secret) {
        RuntimeAccount[] holder = new RuntimeAccount[1];
        Credentials credentials = secret.toCredentials(clients.http(), clock, defaults.requestTimeout(),
                rotated -> rows.rotated(holder[0], 0, rotated));
        RuntimeAccount account = new RuntimeAccount(name, secret, Credentials.rotatable(credentials));
        holder[0] = account;
        return account;
    }

    private boolean writeToStore(java.util.function.BooleanSupplier write) {
        try {
            return write.getAsBoolean();
        } catch (StoreException e) {
            throw new AccountException(AccountException.Reason.STORE, "the store could not keep the change: " + e.getMessage());
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
}
