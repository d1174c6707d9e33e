package io.tedeesync.sync;

import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.client.webhook.UnknownWebhook;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.sync.internal.AccountRegistry;
import io.tedeesync.sync.internal.AccountWorker;
import io.tedeesync.sync.internal.CallGate;
import io.tedeesync.sync.internal.CallPermit;
import io.tedeesync.sync.internal.EventOutbox;
import io.tedeesync.sync.internal.LockDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Mirrors every lock of one or many Tedee accounts under the API's rules: get all once, then sync
 * (all locks at the interval, single locks on demand; no two syncs of an account, in any form, within
 * 10 s), inside each account's hourly request budget with a reserve for operations, honouring
 * {@code Retry-After}, backing off on failures, following configuration revisions and lock re-adds
 * by serial number, and preferring webhooks when they flow.
 *
 * <pre>{@code
 * SyncEngine engine = SyncEngine.builder()
 *         .account(AccountConfig.of("home", TedeeClient.builder().personalKey(key)))
 *         .listener(SyncListener.forEvents(System.out::println))
 *         .build();
 * engine.start();
 * }</pre>
 *
 * <p>Thread-safe. Time and waiting come from the injected {@link Clock} and {@link TaskScheduler};
 * with a virtual scheduler, tests run a day of syncing in a second. Calls do not block: the engine's
 * threads are the scheduler's (two serve 10,000 accounts) and the HTTP client's, whatever the number
 * of accounts; give every account's client builder one shared {@code HttpClient}
 * ({@code TedeeClient.newHttpClient}) so that connections are shared too.
 *
 * <p>Accounts may come and go while it runs ({@link #addAccount}, {@link #removeAccount},
 * {@link #changeSyncInterval}): no restart, and a removed account leaves nothing behind. Several engines
 * may share the accounts, each account mirrored by one engine at a time: {@link #handOverAccount} and
 * {@link #addAccount(AccountConfig, Collection, CallHistory)} pass the account's {@link CallHistory}
 * from one to the next, so that the floor, a pause Tedee asked for and the budget hold across them, and a
 * {@link Builder#callPermit} stops an engine's calls the moment it may no longer make them.
 */
public final class SyncEngine implements AutoCloseable {
    /** A first lock list still unanswered after this no longer holds a place of the start-up limit. */
    private static final Duration STARTUP_SLOW_CALL = Duration.ofSeconds(2);
    /** Views and metrics list the accounts in the order they were added. */
    private final AccountRegistry accounts;
    private final EventOutbox outbox;
    private final AtomicLong unknownWebhooks = new AtomicLong();
    private final Clock clock;

    private SyncEngine(Builder builder) {
        this.clock = builder.clock;
        this.outbox = new EventOutbox(builder.durableListener, builder.scheduler, builder.deliveryExecutor);
        builder.listeners.forEach(outbox::addListener);
        this.accounts = new AccountRegistry(new AccountWorker.Shared(builder.settings, builder.clock, builder.scheduler, builder.random,
                outbox, new LockDirectory(), new CallGate(builder.startupConcurrency, STARTUP_SLOW_CALL, builder.scheduler),
                builder.callDeadline, builder.callPermit));
        accounts.addAll(builder.accounts, builder.seeds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every account: each gets its lock list, then syncs. Accounts added later start as they are added. */
    public void start() {
        accounts.start();
    }

    /**
     * Adds an account while the engine runs: once the engine is started it starts at once (its first lock
     * list waits for a place of the start-up limit like any other), else with {@link #start()}. The seed,
     * possibly empty, is what a store knew of its locks: served, and stale, until its first sync (as
     * {@link Builder#seed}). Its configured user identity receives webhooks from now on. Views list it
     * after the accounts already there. As the account's first owner: {@link CallHistory#NONE}.
     *
     * @throws IllegalArgumentException when an account of that name exists
     * @throws IllegalStateException    once the engine is closed
     */
    public void addAccount(AccountConfig config, Collection<MirroredLock> seed) {
        addAccount(config, seed, CallHistory.NONE);
    }

    /**
     * Adds an account as {@link #addAccount(AccountConfig, Collection)} does, with what a previous owner's
     * calls left (times on this engine's clock): no sync of any form within 10 s of {@code lastSyncAt}, no
     * call at all before {@code blockedUntil}, and its requests count in the budget (and in
     * {@link AccountStatus#requestsLastHour()}) as if this engine had made them. Its first lock list is no
     * sync: it goes as soon as the pause and the budget allow.
     *
     * @throws IllegalArgumentException when an account of that name exists
     * @throws IllegalStateException    once the engine is closed
     */
    public void addAccount(AccountConfig config, Collection<MirroredLock> seed, CallHistory history) {
        accounts.add(Objects.requireNonNull(config, "config"), List.copyOf(Objects.requireNonNull(seed, "seed")),
                Objects.requireNonNull(history, "history"));
    }

    /**
     * Removes an account while the engine runs. At once it is gone from every view and lookup (its locks
     * are unknown locks from then on), its webhooks route nowhere, and it is closed as {@link #close()}
     * closes one: whoever waits for one of its syncs or operations is told that it was removed, no call of
     * it starts after the future completes (nor after this returns, but one it was handing to the HTTP client
     * just then), and the answer to a call still on its way is dropped: nothing is ever published for it
     * again. The name may be added again (a new account).
     *
     * <p>The future completes with false at once for an unknown name; else with true once every change
     * batch the account published before it was removed reached the listeners (the durable one too), so
     * that its rows can be purged without a late write overtaking the purge. When the store has not taken
     * them within the delivery wait (10 s) it fails with a {@link RemovalTimeoutException} (a
     * {@link java.util.concurrent.TimeoutException}): the account is removed all the same, but a purge now
     * could be overtaken. It completes on the delivering or the scheduler's thread: do the purge elsewhere.
     */
    public CompletableFuture<Boolean> removeAccount(String name) {
        return handOverAccount(name).thenApply(Optional::isPresent);
    }

    /**
     * Removes an account as {@link #removeAccount} does (same guarantees, same failure) for another owner
     * to take over: completes with the {@link CallHistory} its calls left at the removal, after which no
     * call of it starts, for {@link #addAccount(AccountConfig, Collection, CallHistory)}; empty at once for
     * an unknown name. A sync on its way then counts as made then. The {@link RemovalTimeoutException} of
     * a store too slow carries the history too.
     */
    public CompletableFuture<Optional<CallHistory>> handOverAccount(String name) {
        return accounts.handOver(Objects.requireNonNull(name, "name"));
    }

    /**
     * What the account's calls left so far, as {@link #handOverAccount} would complete with now: its last
     * sync (now while a sync is on its way), the pause Tedee asked for while it lasts, its requests of the
     * last hour by minute (a call on its way counts as one). For a store to keep; empty for an unknown account.
     */
    public Optional<CallHistory> callHistory(String name) {
        AccountWorker worker = accounts.get(Objects.requireNonNull(name, "name"));
        return worker == null ? Optional.empty() : Optional.of(worker.history());
    }

    /**
     * Changes an account's sync-all interval while it runs; null is the engine's. The account plans again at
     * once: its next sync-all is due {@code interval} after its last full refresh, and the 10 s floor, a
     * pause Tedee asked for, webhooks and the budget still stretch it as they would. Returns false for an
     * unknown account.
     *
     * @throws IllegalArgumentException when {@code interval} is below 10 s
     */
    public boolean changeSyncInterval(String name, Duration interval) {
        return accounts.changeSyncInterval(Objects.requireNonNull(name, "name"), interval);
    }

    /**
     * Lets an account that failed (its credentials were refused, so the engine stopped calling it) call
     * again at once: for after its credentials were replaced (e.g. {@code RotatableCredentials#rotate}). It
     * is degraded until a call succeeds. Returns false for an unknown account or one that had not failed.
     */
    public boolean resumeAccount(String name) {
        AccountWorker worker = accounts.get(Objects.requireNonNull(name, "name"));
        return worker != null && worker.resume();
    }

    public void addListener(SyncListener listener) {
        outbox.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(SyncListener listener) {
        outbox.removeListener(listener);
    }

    /** Every mirrored lock of every account. */
    public List<MirroredLock> locks() {
        return accounts.locks();
    }

    public Optional<MirroredLock> lock(String serialNumber) {
        return workerOf(serialNumber).flatMap(worker -> worker.lock(serialNumber));
    }

    /**
     * Whether this copy may be out of date: its account has not had a successful call since the engine
     * started (a copy seeded from a store is yesterday's news until then), or nothing confirmed it for
     * longer than the account's staleness threshold.
     */
    public boolean isStale(MirroredLock lock, java.time.Instant now) {
        AccountWorker worker = accounts.get(lock.account());
        return worker == null || worker.status().lastSuccessAt() == null || lock.isStale(now, worker.staleAfter());
    }

    /** Every account's status and every lock, in one pass (for metrics and health: one call per scrape). */
    public EngineSnapshot snapshot() {
        AccountRegistry.Views views = accounts.views();
        return new EngineSnapshot(clock.instant(), views.statuses(), views.locks(), views.staleAfter());
    }

    public List<AccountStatus> accounts() {
        return accounts.statuses();
    }

    /** One account's status, without a pass over the others; empty for an unknown account. */
    public Optional<AccountStatus> account(String name) {
        AccountWorker worker = accounts.get(Objects.requireNonNull(name, "name"));
        return worker == null ? Optional.empty() : Optional.of(worker.status());
    }

    /** Time until this lock may be synced on its own (zero: now); empty for an unknown lock. */
    public Optional<Duration> syncAvailableIn(String serialNumber) {
        return workerOf(serialNumber).map(AccountWorker::syncAvailableIn);
    }

    /**
     * When this lock may be synced on its own ({@link #requestSync} goes at once): the end of its account's 10 s
     * floor after its last sync, or of a pause Tedee asked for, whichever is later; an instant at or before now
     * when it may be synced now ({@link Instant#EPOCH} if the account never synced). The same account's floor as
     * {@link #syncAvailableIn} and {@link #requestSync} go by (a lock shared between accounts: the first account
     * that has it). Empty for an unknown lock.
     */
    public Optional<Instant> syncAllowedAt(String serialNumber) {
        return workerOf(serialNumber).map(AccountWorker::syncAllowedAt);
    }

    /**
     * Syncs one lock as soon as its 10 s floor allows (concurrent requests for the same lock share one
     * call). Completes with the lock after the sync; fails for an unknown lock.
     */
    public CompletableFuture<MirroredLock> requestSync(String serialNumber) {
        return workerOf(serialNumber).map(worker -> worker.requestSync(serialNumber))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalArgumentException("no lock " + serialNumber)));
    }

    /**
     * Locks, unlocks or pulls: checks the lock is connected and in a state that allows it, sends the
     * command, follows the operation to completion (or timeout), then confirms the lock: by its webhook
     * while webhooks flow (waiting {@code operationWebhookWait}), else by one sync at the account's floor.
     * The outcome carries the lock as confirmed. Callbacks on the future must be quick and must not block
     * on another engine future.
     */
    public CompletableFuture<OperationOutcome> operate(String serialNumber, OperationType type, UnlockMode mode) {
        Objects.requireNonNull(type, "type");
        return workerOf(serialNumber).map(worker -> worker.operate(serialNumber, type, mode))
                .orElseGet(() -> CompletableFuture.completedFuture(new OperationOutcome(serialNumber, type,
                        OperationOutcome.Status.REJECTED, null, "no lock " + serialNumber, null)));
    }

    /**
     * Applies a webhook: routed by user identity (learned or configured) and device id to the account(s)
     * that mirror the device. Returns once its changes reached every listener. An unknown event type is
     * ignored and counted; an unknown device asks its account for at most one list refresh.
     */
    public WebhookOutcome acceptWebhook(WebhookNotification notification) {
        Objects.requireNonNull(notification, "notification");
        if (notification instanceof UnknownWebhook) {
            unknownWebhooks.incrementAndGet();
        }
        return accounts.deliver(notification);
    }

    /** Webhooks whose event type this engine does not know, since start. */
    public long unknownWebhooks() {
        return unknownWebhooks.get();
    }

    /** Stops all accounts: pending operations and syncs are told, no call is started after this returns. */
    @Override
    public void close() {
        accounts.close();
        outbox.flushAtClose(Duration.ofSeconds(10));
    }

    private Optional<AccountWorker> workerOf(String serialNumber) {
        return accounts.ofSerial(serialNumber);
    }

    /** Settings of a {@link SyncEngine}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final List<AccountConfig> accounts = new ArrayList<>();
        private final List<SyncListener> listeners = new ArrayList<>();
        private SyncListener durableListener;
        private final Map<String, Collection<MirroredLock>> seeds = new LinkedHashMap<>();
        private SyncSettings settings = SyncSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private TaskScheduler scheduler;
        private Random random = new Random();
        private int startupConcurrency = 32;
        private java.util.concurrent.Executor deliveryExecutor = Runnable::run;
        private Duration callDeadline = Duration.ofMinutes(2);
        private CallPermit callPermit = CallPermit.ALWAYS;

        private Builder() {
        }

        /**
         * At most this many accounts get their first lock list at the same time (default 32); the others
         * wait their turn, serving what the store knew meanwhile. A list still unanswered after 2 s no
         * longer counts, so hanging accounts do not hold the healthy ones back.
         */
        public Builder startupConcurrency(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("startupConcurrency must be positive, was " + limit);
            }
            this.startupConcurrency = limit;
            return this;
        }

        /**
         * Where change batches are handed to the listeners after a call (the durable one writes them there):
         * give a store its own thread (e.g. {@code Executors.newSingleThreadExecutor()}) so that no scheduler
         * thread waits for a database. By default they are delivered on the scheduler's thread that merged
         * them. The engine does not shut it down.
         */
        public Builder deliveryExecutor(java.util.concurrent.Executor executor) {
            this.deliveryExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The longest any call may take before the engine counts it as failed and cancels it (default 2 min,
         * and never less than 4 x the account client's request timeout): a backstop behind the client's own
         * timeout (15 s by default), so that no account waits forever.
         */
        public Builder callDeadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("callDeadline must be positive");
            }
            this.callDeadline = deadline;
            return this;
        }

        /**
         * Asked right before every call to Tedee (lists, syncs, details, operations and their status polls)
         * with the account's name, on a scheduler thread: must be quick, must not block, and should not throw
         * (a throw counts as false and is logged). False: the call is not sent, and the account plans again
         * a second later (and asks again if it still wants to call); other accounts are not held up, and
         * the account's floor and budget are not spent. An operation waits for the permit as it waits out a
         * pause Tedee asked for ({@code Retry-After}): in its place in the account's queue, as long as it can
         * still be sent before its deadline ({@link SyncSettings#operationTimeout()}); once the next try would
         * be at or after that, it is refused ({@link OperationOutcome.Status#REJECTED}, not sent). One already
         * sent is followed as soon as polls are permitted again, and times out like any other when they are
         * not. Default: always true. For a cluster: true while this instance holds the account's lease.
         */
        public Builder callPermit(Predicate<String> mayCall) {
            this.callPermit = new CallPermit(Objects.requireNonNull(mayCall, "mayCall"));
            return this;
        }

        public Builder account(AccountConfig account) {
            accounts.add(Objects.requireNonNull(account, "account"));
            return this;
        }

        public Builder listener(SyncListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The listener that makes changes durable (a store); at most one. It gets every batch first; when
         * it fails, the batch and every later one are kept in order and offered again (after 1 s, doubling
         * to 30 s) until it takes them, so a failed write loses nothing and the store catches up by itself.
         * Webhooks are acknowledged only once it took their changes, and the other listeners get a batch
         * after it did.
         */
        public Builder durableListener(SyncListener listener) {
            this.durableListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Starts an account from saved locks (no events for them; they are stale until the first sync). */
        public Builder seed(String account, Collection<MirroredLock> locks) {
            seeds.put(Objects.requireNonNull(account, "account"), List.copyOf(locks));
            return this;
        }

        public Builder settings(SyncSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the engine plans, and merges answers (calls do not block it); required, e.g.
         * {@code TaskScheduler.of(Executors.newScheduledThreadPool(2))}.
         */
        public Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Source of backoff jitter; seed it for repeatable runs. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public SyncEngine build() {
            if (scheduler == null) {
                throw new IllegalStateException("a scheduler is required, e.g. TaskScheduler.of(Executors.newScheduledThreadPool(2))");
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (AccountConfig account : accounts) {
                if (!names.add(account.name())) {
                    throw new IllegalStateException("account names must be unique");
                }
            }
            for (String seeded : seeds.keySet()) { // a set: 10,000 accounts are checked in a pass, not 10,000 passes
                if (!names.contains(seeded)) {
                    throw new IllegalStateException("seed for unknown account " + seeded);
                }
            }
            return new SyncEngine(this);
        }
    }
}
