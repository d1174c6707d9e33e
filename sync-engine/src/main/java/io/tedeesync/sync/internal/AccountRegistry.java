package io.tedeesync.sync.internal;

import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.AccountStatus;
import io.tedeesync.sync.CallHistory;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.RemovalTimeoutException;
import io.tedeesync.sync.SyncSettings;
import io.tedeesync.sync.WebhookOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's accounts by name, in the order they were added, and who receives their webhooks; adds,
 * starts, removes and stops them. Reads (every view, every webhook, every lookup by serial) take no
 * lock: lookups go to concurrent maps, views iterate a list that is copied on write and swapped whole
 * (10,000 references: an array copy), since accounts come and go rarely and are read all the time.
 * Changes are made one at a time, under this registry's monitor. Thread-safe.
 */
public final class AccountRegistry {
    private final AccountWorker.Shared shared;
    private final LockDirectory directory;
    private final Map<String, AccountWorker> workers = new ConcurrentHashMap<>();
    /** The same accounts, in the order they were added: what views list. Replaced, never changed. */
    private volatile List<AccountWorker> ordered = List.of();
    /** Receivers of webhooks given in the configuration: never overridden by learning. */
    private final Map<String, String> configuredUsers = new ConcurrentHashMap<>();
    /** Each account's configured user identity, to take it out again. Guarded by the monitor. */
    private final Map<String, String> identityOf = new HashMap<>();
    /** Receivers learned from webhooks whose device only one account knows; the latest such webhook wins. */
    private final Map<String, String> learnedUsers = new ConcurrentHashMap<>();

    private boolean started;
    private boolean stopped;

    public AccountRegistry(AccountWorker.Shared shared) {
        this.shared = shared;
        this.directory = shared.directory();
    }

    public AccountWorker get(String account) {
        return workers.get(account);
    }

    public boolean contains(String account) {
        return workers.containsKey(account);
    }

    public int size() {
        return ordered.size();
    }

    /** Every account's status and lock, and how old each account's copies may get, from one pass over the accounts. */
    public record Views(List<AccountStatus> statuses, List<MirroredLock> locks, Map<String, Duration> staleAfter) {
    }

    /** The views of every account from one list of them: an account added meanwhile is in the next views. */
    public Views views() {
        List<AccountWorker> workers = ordered;
        List<AccountStatus> statuses = new ArrayList<>(workers.size());
        List<MirroredLock> locks = new ArrayList<>();
        Map<String, Duration> staleAfter = new HashMap<>();
        for (AccountWorker worker : workers) {
            statuses.add(worker.status());
            locks.addAll(worker.locks());
            staleAfter.put(worker.account(), worker.staleAfter());
        }
        return new Views(statuses, locks, staleAfter);
    }

    /** Every lock of every account. */
    public List<MirroredLock> locks() {
        List<MirroredLock> locks = new ArrayList<>();
        for (AccountWorker worker : ordered) {
            locks.addAll(worker.locks());
        }
        return locks;
    }

    /** Every account's status, in the order they were added. */
    public List<AccountStatus> statuses() {
        List<AccountWorker> workers = ordered;
        List<AccountStatus> statuses = new ArrayList<>(workers.size());
        for (AccountWorker worker : workers) {
            statuses.add(worker.status());
        }
        return statuses;
    }

    /**
     * The account's sync-all interval is now this (null: the engine's); false for an unknown account.
     *
     * @throws IllegalArgumentException when the interval is refused ({@link SyncSettings#intervalProblem})
     */
    public boolean changeSyncInterval(String account, Duration interval) {
        if (interval != null) {
            SyncSettings.intervalProblem(interval).ifPresent(problem -> {
                throw new IllegalArgumentException("account " + account + ": the sync interval " + problem);
            });
        }
        AccountWorker worker = workers.get(account);
        if (worker == null) {
            return false;
        }
        worker.changeSyncInterval(interval != null ? interval : shared.settings().syncInterval());
        return true;
    }

    /** The accounts the engine was built with (names unique: the builder checked), each with its seed: one copy for them all. */
    public synchronized void addAll(List<AccountConfig> configs, Map<String, Collection<MirroredLock>> seeds) {
        List<AccountWorker> added = new ArrayList<>(configs.size());
        for (AccountConfig config : configs) {
            added.add(newWorker(config, seeds.getOrDefault(config.name(), List.of()), CallHistory.NONE));
        }
        publish(configs, added);
    }

    /**
     * Adds an account, with what a previous owner's calls left; it starts at once if the engine has started.
     *
     * @throws IllegalArgumentException when an account of that name exists
     * @throws IllegalStateException    once the engine stopped
     */
    public synchronized void add(AccountConfig config, Collection<MirroredLock> seed, CallHistory history) {
        if (stopped) {
            throw new IllegalStateException("the engine stopped");
        }
        if (workers.containsKey(config.name())) {
            throw new IllegalArgumentException("account " + config.name() + " exists");
        }
        AccountWorker worker = newWorker(config, seed, history); // only now: a worker enters its seed in the directory
        publish(List.of(config), List.of(worker));
        if (started) {
            worker.start();
        }
    }

    private AccountWorker newWorker(AccountConfig config, Collection<MirroredLock> seed, CallHistory history) {
        return new AccountWorker(config.name(), config.client(), config.syncInterval(), shared, seed, history);
    }

    private void publish(List<AccountConfig> configs, List<AccountWorker> added) {
        for (int i = 0; i < added.size(); i++) {
            AccountConfig config = configs.get(i);
            workers.put(config.name(), added.get(i));
            if (config.userIdentity() != null) {
                configuredUsers.put(config.userIdentity(), config.name()); // the latest account configured for a user receives its webhooks
                identityOf.put(config.name(), config.userIdentity());
            }
        }
        List<AccountWorker> grown = new ArrayList<>(ordered.size() + added.size());
        grown.addAll(ordered);
        grown.addAll(added);
        ordered = Collections.unmodifiableList(grown);
    }

    /** Starts every account; those added later start as they are added. */
    public synchronized void start() {
        started = true;
        ordered.forEach(AccountWorker::start);
    }

    /** Stops every account; none can be added after. */
    public synchronized void close() {
        stopped = true;
        ordered.forEach(AccountWorker::close);
    }

    /**
     * Takes the account out of every view and of the webhook routing, closes it ({@link AccountWorker#remove})
     * and takes its entries out of the directory. Returns the sequence of the last batch it published and its
     * calls' history then, or empty for an unknown account.
     */
    public synchronized Optional<AccountWorker.Removal> remove(String account) {
        AccountWorker worker = workers.remove(account); // first: gone from every lookup and view at once
        if (worker == null) {
            return Optional.empty();
        }
        List<AccountWorker> shrunk = new ArrayList<>(ordered);
        shrunk.remove(worker);
        ordered = Collections.unmodifiableList(shrunk);
        String identity = identityOf.remove(account);
        if (identity != null) {
            configuredUsers.remove(identity, account); // unless a later account was configured for the same user
        }
        learnedUsers.values().removeIf(account::equals);
        AccountWorker.Removal removal = worker.remove();
        directory.remove(account); // after it is closed (it updates its entries no more), before a new account of the name
        return Optional.of(removal);
    }

    /**
     * Removes the account ({@link #remove}); the future completes with its calls' history once no call of it
     * starts any more and the durable listener took every batch it published, or fails with a
     * {@link RemovalTimeoutException} after the delivery wait. Empty at once for an unknown account.
     */
    public CompletableFuture<Optional<CallHistory>> handOver(String account) {
        Optional<AccountWorker.Removal> removal = remove(account);
        if (removal.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CallHistory history = removal.get().history();
        shared.outbox().drainLater();
        // A call being handed to the client when it was removed is sent within microseconds: nothing to time out.
        return removal.get().noCallStarts().thenCompose(sent -> shared.outbox().whenTaken(removal.get().lastPublished(),
                AccountWorker.DELIVERY_WAIT)).thenApply(taken -> {
                    if (!taken) {
                        throw new CompletionException(new RemovalTimeoutException(account, history, AccountWorker.DELIVERY_WAIT));
                    }
                    return Optional.of(history);
                });
    }

    /** The account that mirrors this serial number, if any. */
    public Optional<AccountWorker> ofSerial(String serialNumber) {
        for (String account : directory.accountsWithSerial(serialNumber)) {
            AccountWorker worker = workers.get(account);
            if (worker != null && worker.lock(serialNumber).isPresent()) {
                return Optional.of(worker);
            }
        }
        return Optional.empty();
    }

    /** Applies a webhook to the account(s) it is for ({@link #route}): what is told to its sender. */
    public WebhookOutcome deliver(WebhookNotification notification) {
        List<AccountWorker> targets = route(notification);
        if (targets.isEmpty()) {
            return notification instanceof UnknownWebhook ? WebhookOutcome.UNKNOWN_EVENT : WebhookOutcome.UNKNOWN_DEVICE;
        }
        WebhookOutcome outcome = null;
        for (AccountWorker worker : targets) {
            WebhookOutcome applied = worker.applyWebhook(notification);
            // Not written for one account means no 2xx at all (Tedee retries); otherwise applied anywhere wins.
            outcome = outcome == WebhookOutcome.NOT_DELIVERED || applied == WebhookOutcome.NOT_DELIVERED ? WebhookOutcome.NOT_DELIVERED
                    : outcome == null || applied == WebhookOutcome.APPLIED ? applied : outcome;
        }
        return outcome;
    }

    /**
     * The accounts a webhook is for: the receiver's account (configured, or learned) when it knows the
     * device, else every account that knows it. A device no account knows goes to the receiver's account
     * (or the only one), so that it refreshes its list once: a new or re-added lock.
     *
     * <p>Learning needs no account to have loaded its list: each webhook whose device exactly one account
     * knows maps its receiver to that account, and the latest one wins, so a guess made while another
     * account had not loaded yet is corrected by that receiver's next webhook for a lock only it has.
     */
    public List<AccountWorker> route(WebhookNotification notification) {
        String user = notification.userIdentity();
        AccountWorker receiver = user == null ? null : workers.get(configuredUsers.getOrDefault(user, learnedUsers.getOrDefault(user, "")));
        if (receiver != null && receiver.knowsDevice(notification.deviceId())) {
            return List.of(receiver);
        }
        List<AccountWorker> knowing = new ArrayList<>();
        for (String account : directory.accountsWithDevice(notification.deviceId())) {
            AccountWorker worker = workers.get(account);
            if (worker != null && worker.knowsDevice(notification.deviceId())) {
                knowing.add(worker);
            }
        }
        if (knowing.size() == 1 && user != null && !configuredUsers.containsKey(user)) {
            String account = knowing.get(0).account();
            learnedUsers.put(user, account);
            if (!workers.containsKey(account)) {
                learnedUsers.remove(user, account); // removed while this webhook was routed: learn nothing of it
            }
        }
        if (knowing.isEmpty() && receiver != null) {
            return List.of(receiver);
        }
        List<AccountWorker> all = ordered;
        if (knowing.isEmpty() && all.size() == 1) {
            return all;
        }
        return knowing;
    }
}
