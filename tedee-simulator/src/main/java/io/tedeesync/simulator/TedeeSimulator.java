package io.tedeesync.simulator;

import io.tedeesync.simulator.internal.DemoWorld;
import io.tedeesync.simulator.internal.Simulation;
import io.tedeesync.simulator.internal.SimulatorServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A stateful fake of the Tedee cloud API over real HTTP: accounts, locks, operations, sync,
 * OAuth sign-in (authorization code with PKCE) and tokens, the hourly rate limit, webhooks and injected faults, shaped like the documented
 * API for versions v1.15 to v37 and later.
 *
 * <p>All simulated time comes from the injected {@link Clock}. Work that falls due (an operation
 * finishing, a pull spring releasing, random activity) runs at its due time, in order, whenever the
 * simulator catches up: at every HTTP request, every control call, {@link #advance()}, and every
 * 200 ms of real time while started. A test moves its clock and calls {@link #advance()}.
 *
 * <p>Control methods name locks by serial number, apply at {@code clock.instant()} and send the
 * webhooks they cause; unknown serials or accounts throw {@link IllegalArgumentException}.
 *
 * <p>Thread-safe.
 */
public final class TedeeSimulator implements AutoCloseable {

    private final Simulation simulation;
    private SimulatorServer server;
    private boolean closed;

    private TedeeSimulator(Builder builder) {
        this.simulation = new Simulation(builder.clock, builder.seed, builder.operationDelay,
                builder.requestsPerHour, builder.syncFloor, builder.requestLogCapacity, builder.stateHistoryCapacity,
                builder.webhookExecutor);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A simulator for the demo and the CLI, not started: one account {@code demo} with that key and
     * {@code lockCount} locks with realistic names, serials derived from the seed, varied states
     * and batteries, and a door sensor on the first. Call {@link #randomActivity(Duration)} to make
     * it move.
     */
    public static TedeeSimulator demo(int lockCount, String personalKey, long seed) {
        TedeeSimulator simulator = builder().seed(seed).build();
        simulator.addAccount("demo", personalKey);
        for (DemoWorld.DemoLock lock : DemoWorld.plan(lockCount, seed)) {
            simulator.addLock("demo", lock.serial(), lock.name());
            simulator.setLockState(lock.serial(), lock.state());
            simulator.setDoorState(lock.serial(), lock.doorState());
            simulator.setBattery(lock.serial(), lock.batteryLevel());
            simulator.setCharging(lock.serial(), lock.charging());
        }
        return simulator;
    }

    // ---- lifecycle

    /** Serves on 127.0.0.1 at {@code port} (0 for a free one) and starts the ticker. */
    public synchronized TedeeSimulator start(int port) {
        if (closed || server != null) {
            throw new IllegalStateException(closed ? "The simulator is closed" : "The simulator is already started");
        }
        server = SimulatorServer.start(simulation, port);
        return this;
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The simulator is not started");
        }
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT}, for both {@code /api} and {@code /oauth2}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * {@code http://127.0.0.1:PORT/oauth2/v2.0/authorize}: where "Sign in with Tedee" sends the browser
     * with {@code response_type=code}, {@code client_id}, {@code redirect_uri}, {@code state} and a PKCE
     * {@code code_challenge} (required; {@code S256} or {@code plain}). The page offers every account of
     * the simulator (buttons {@code sign-in-<account>} and {@code deny}) and redirects to
     * {@code redirect_uri} with a {@code code} (single use, valid 10 minutes of simulated time) or with
     * {@code error=access_denied}. Any client id and http(s) redirect URI are accepted; a request
     * without them gets a 400 page, not a redirect. Also served under a {@code /{policy}/} prefix.
     */
    public URI authorizeUrl() {
        return URI.create(baseUrl() + "/oauth2/v2.0/authorize");
    }

    /**
     * {@code http://127.0.0.1:PORT/oauth2/v2.0/token}: exchanges a code from {@link #authorizeUrl()}
     * ({@code grant_type=authorization_code} with {@code client_id}, {@code code}, {@code code_verifier},
     * {@code redirect_uri}) or a refresh token ({@code grant_type=refresh_token}) for
     * {@link OAuthTokens}, answered as JSON. Not rate limited; only a fault
     * {@linkplain Fault#aimedAt aimed} at {@code POST /oauth2/v2.0/token} plays here. Also served under a
     * {@code /{policy}/} prefix.
     */
    public URI tokenUrl() {
        return URI.create(baseUrl() + "/oauth2/v2.0/token");
    }

    /** Stops the server, the ticker and the default webhook thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
        simulation.close();
    }

    // ---- accounts and locks

    /** Adds an account; name and key must both be unique. */
    public SimAccount addAccount(String name, String personalKey) {
        return simulation.change(world -> world.addAccount(name, personalKey));
    }

    /** Adds a Lock PRO (type 2), locked, to the account; returns its id (ids grow from 1000). */
    public long addLock(String accountName, String serialNumber, String name) {
        return addLock(accountName, serialNumber, name, 2);
    }

    /** Adds a lock of type 2 (Lock PRO) or 4 (Lock GO); returns its id. */
    public long addLock(String accountName, String serialNumber, String name, int deviceType) {
        return simulation.change(world -> world.addLock(accountName, serialNumber, name, deviceType));
    }

    /** Gives another account Admin access to the lock: it lists the lock and gets its webhooks. */
    public void shareLock(String serialNumber, String accountName) {
        simulation.run(world -> world.shareLock(serialNumber, accountName));
    }

    /** Takes the lock off every account: its id then answers 404. */
    public void removeLock(String serialNumber) {
        simulation.run(world -> world.removeLock(serialNumber));
    }

    /** Adds the lock again: same serial, a new id (returned), revision 1, shared accesses gone. */
    public long reAddLock(String serialNumber) {
        return simulation.change(world -> world.reAddLock(serialNumber));
    }

    // ---- control

    /** Sets any raw state code, as a hand on the knob would; an operation in flight then fails. */
    public void setLockState(String serialNumber, int stateCode) {
        simulation.run(world -> world.setLockState(serialNumber, stateCode));
    }

    /** Sets the door sensor's raw code (0 means no sensor paired). */
    public void setDoorState(String serialNumber, int doorStateCode) {
        simulation.run(world -> world.setDoorState(serialNumber, doorStateCode));
    }

    public void setBattery(String serialNumber, int level) {
        simulation.run(world -> world.setBattery(serialNumber, level));
    }

    /** Shows in the state object only: the docs have no webhook for it. */
    public void setCharging(String serialNumber, boolean charging) {
        simulation.run(world -> world.setCharging(serialNumber, charging));
    }

    /** The lock loses its bridge: {@code isConnected} false and a null state object until reconnected. */
    public void disconnect(String serialNumber) {
        simulation.run(world -> world.setConnected(serialNumber, false));
    }

    public void reconnect(String serialNumber) {
        simulation.run(world -> world.setConnected(serialNumber, true));
    }

    /** Renames the lock; bumps {@code revision} and sends device-settings-changed. */
    public void rename(String serialNumber, String name) {
        simulation.run(world -> world.rename(serialNumber, name));
    }

    /** Merges device settings (wire names); bumps {@code revision} and sends device-settings-changed. */
    public void changeSettings(String serialNumber, Map<String, Object> deviceSettings) {
        simulation.run(world -> world.changeSettings(serialNumber, deviceSettings));
    }

    /** Sends bell-button-pressed to the users with Admin or Owner access. */
    public void pressBell(String serialNumber) {
        simulation.run(world -> world.pressBell(serialNumber));
    }

    /**
     * Starts seeded random manual activity on every lock: per lock, changes with exponential gaps of
     * this mean (knob turns, door, battery, rare disconnects). {@link Duration#ZERO} stops it.
     */
    public void randomActivity(Duration meanGap) {
        simulation.run(world -> world.randomActivity(meanGap));
    }

    public void stopRandomActivity() {
        randomActivity(Duration.ZERO);
    }

    /**
     * Runs everything due up to {@code clock.instant()}. On return every webhook that caused has
     * been handed to the webhook executor (with a synchronous one: delivered).
     */
    public void advance() {
        simulation.advance(true);
    }

    // ---- auth, webhooks, faults

    /** Issues OAuth tokens for the account, as its sign-in would, without the browser round trip. */
    public OAuthTokens issueTokens(String accountName) {
        return simulation.issueTokens(accountName);
    }

    /**
     * Refresh tokens spent by their use (each refresh's new refresh token is the only one that works after
     * it), as a strictly rotating token server does; off by default, as Azure AD B2C keeps them valid.
     */
    public void singleUseRefreshTokens(boolean spentOnUse) {
        simulation.singleUseRefreshTokens(spentOnUse);
    }

    /** Every access token of the account answers 401 from now on; refresh tokens still work. */
    public void expireAccessTokens(String accountName) {
        simulation.expireAccessTokens(accountName);
    }

    /** Replaces the account's personal key, as a user does in the portal: the old key is refused from now on, the new one works. */
    public void replaceKey(String accountName, String newKey) {
        simulation.run(world -> world.replaceKey(accountName, newKey));
    }

    /** The account's personal key answers 401 from now on. */
    public void revokeKey(String accountName) {
        simulation.run(world -> world.revokeKey(accountName));
    }

    /** Adds a URL that receives every webhook (one POST per event and user). */
    public void registerWebhook(URI target) {
        simulation.registerWebhook(target);
    }

    /** Whether the account's users are sent webhooks (default true), like connecting the integration. */
    public void webhooksEnabled(String accountName, boolean enabled) {
        simulation.run(world -> world.setWebhooksEnabled(accountName, enabled));
    }

    /** Plays the fault on the next {@code times} API requests of any account. */
    public void injectFault(Fault fault, int times) {
        simulation.injectFault(fault, times, null);
    }

    /** Plays the fault on the next {@code times} API requests of that account. */
    public void injectFault(Fault fault, int times, String accountName) {
        simulation.injectFault(fault, times, Objects.requireNonNull(accountName, "accountName"));
    }

    // ---- inspection

    /** A snapshot of the lock with that serial number. */
    public SimLock lock(String serialNumber) {
        return simulation.change(world -> world.snapshot(serialNumber));
    }

    /**
     * Every position and connection change the lock went through, oldest first, at simulated time: the
     * state it was added with, each state set by hand ({@link #setLockState}), by an operation (its
     * intermediate state, its outcome, a pull spring's release) or by {@linkplain #randomActivity random
     * activity}, and each {@link #disconnect}/{@link #reconnect}, whether or not any webhook or sync told a
     * client. A change to the same state and connection is not one. The latest
     * {@link Builder#stateHistoryCapacity} per lock (10,000 unless set); kept across remove and re-add.
     */
    public List<SimStateChange> stateHistory(String serialNumber) {
        return simulation.change(world -> world.stateHistory(serialNumber));
    }

    /** Snapshots of every lock, in the order they were added. */
    public List<SimLock> locks() {
        return simulation.change(world -> world.snapshots());
    }

    /**
     * The requests received on {@code /api} and {@code /oauth2}, oldest first: the latest
     * {@link Builder#requestLogCapacity} of them (100,000 unless set). {@link #requestCounts()} counts all.
     */
    public List<RecordedRequest> requests() {
        return simulation.requests();
    }

    /** Counts of every request received on {@code /api} and {@code /oauth2}, by status and by route. */
    public RequestCounts requestCounts() {
        return simulation.requestCounts();
    }

    /**
     * How many sync requests came less than the sync floor after the previous sync request of the same
     * account (see {@link Builder#syncFloor}). The floor is account-wide and counts every form of sync
     * (sync-all, {@code ?id=} batches, sync single, in any mix), from request to request, whatever the
     * answer was (a fault, a 429 or a 404 count too: the client sent them). Unauthenticated requests
     * belong to no account and count for none; a connection dropped by a fault is not counted (the JDK
     * client resends a dropped GET at once, by itself).
     */
    public long syncCallsTooSoon() {
        return simulation.syncCallsTooSoon();
    }

    /** {@link #syncCallsTooSoon()} for one account. */
    public long syncCallsTooSoon(String accountName) {
        return simulation.syncCallsTooSoon(Objects.requireNonNull(accountName, "accountName"));
    }

    /** Forgets recorded requests, the request counts and the too-soon counts (not when each account last synced). */
    public void clearRequests() {
        simulation.clearRequests();
    }

    /** Every webhook POST attempted so far, in the order they finished. */
    public List<WebhookDelivery> webhookDeliveries() {
        return simulation.webhookDeliveries();
    }

    /**
     * Settings for a {@link TedeeSimulator}. Not thread-safe; {@link #build()} copies what it needs.
     */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private long seed = 1;
        private Duration operationDelay = Duration.ofSeconds(3);
        private int requestsPerHour = 700;
        private Duration syncFloor = Duration.ofSeconds(10);
        private int requestLogCapacity = 100_000;
        private int stateHistoryCapacity = 10_000;
        private Executor webhookExecutor;

        private Builder() {}

        /** Where all simulated time comes from; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seeds every random choice (identities, tokens, sign-in codes, random activity); default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How long lock, unlock and pull take; default 3 s. */
        public Builder operationDelay(Duration operationDelay) {
            this.operationDelay = Objects.requireNonNull(operationDelay, "operationDelay");
            return this;
        }

        /** The hourly request budget of each account; default 700. */
        public Builder requestsPerHour(int requestsPerHour) {
            this.requestsPerHour = requestsPerHour;
            return this;
        }

        /** The spacing below which a sync request of an account counts as too soon (account-wide); default 10 s. */
        public Builder syncFloor(Duration syncFloor) {
            this.syncFloor = Objects.requireNonNull(syncFloor, "syncFloor");
            return this;
        }

        /**
         * How many of the latest requests {@link TedeeSimulator#requests()} keeps; default 100,000 (0 keeps
         * none: a benchmark that needs only {@link TedeeSimulator#requestCounts()}).
         */
        public Builder requestLogCapacity(int requestLogCapacity) {
            this.requestLogCapacity = requestLogCapacity;
            return this;
        }

        /**
         * How many of the latest changes {@link TedeeSimulator#stateHistory} keeps per lock; default 10,000
         * (0 keeps none: thousands of busy locks in a long benchmark).
         */
        public Builder stateHistoryCapacity(int stateHistoryCapacity) {
            this.stateHistoryCapacity = stateHistoryCapacity;
            return this;
        }

        /** Runs webhook POSTs; default a single daemon thread. Tests pass {@code Runnable::run}. */
        public Builder webhookExecutor(Executor webhookExecutor) {
            this.webhookExecutor = Objects.requireNonNull(webhookExecutor, "webhookExecutor");
            return this;
        }

        public TedeeSimulator build() {
            if (operationDelay.isNegative()) {
                throw new IllegalArgumentException("operationDelay must not be negative");
            }
            if (syncFloor.isNegative()) {
                throw new IllegalArgumentException("syncFloor must not be negative");
            }
            if (requestLogCapacity < 0) {
                throw new IllegalArgumentException("requestLogCapacity must not be negative");
            }
            if (stateHistoryCapacity < 0) {
                throw new IllegalArgumentException("stateHistoryCapacity must not be negative");
            }
            if (requestsPerHour < 1) {
                throw new IllegalArgumentException("requestsPerHour must be at least 1");
            }
            return new TedeeSimulator(this);
        }
    }
}
