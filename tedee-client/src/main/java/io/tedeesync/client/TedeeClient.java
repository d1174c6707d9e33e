package io.tedeesync.client;

import io.tedeesync.client.internal.ApiTransport;
import io.tedeesync.client.internal.ClientThreads;
import io.tedeesync.client.internal.Futures;
import io.tedeesync.client.internal.LockEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Typed client of the Tedee cloud API for the lock endpoints an integration needs: get all locks (all
 * pages), get one, sync all / some ({@code ?id=}) / one, operate (lock, unlock, pull) and follow an
 * operation. Reads both payload generations ({@code lockProperties} and {@code deviceState}).
 *
 * <pre>{@code
 * TedeeClient client = TedeeClient.builder()
 *         .credentials(Credentials.personalKey(System.getenv("TEDEE_PERSONAL_KEY")))
 *         .build();
 * for (Lock lock : client.getLocks()) { ... }
 * }</pre>
 *
 * <p>Every call comes blocking and async ({@code ...Async}); the blocking method is its async twin and
 * a wait, so both behave alike. A blocking call is bounded by the request timeout and throws a
 * {@link TedeeException} subclass on failure. The client does not pace or retry calls (other than once
 * after a 401 with refreshable credentials): the sync engine decides which call to make and when.
 * Thread-safe and immutable.
 *
 * <h2>Async calls</h2>
 * Each {@code ...Async} method returns at once. Its future:
 * <ul>
 *   <li>never blocks the calling thread on I/O, nor a selector thread of the {@link HttpClient}: requests
 *   go out with {@code sendAsync}; an {@link OAuthRefreshTokenSupplier} refreshes without holding a thread;
 *   other credentials that may block ({@link Credentials#bearer} of your own supplier, your own
 *   {@link Credentials}) are asked on the HTTP client's executor, or on a small shared pool when it has
 *   none, never on the caller's thread;</li>
 *   <li>fails with the {@link TedeeException} subclass itself, of the same type and message the blocking
 *   method throws (e.g. a {@link RateLimitedException} with its {@code retryAfter}, a
 *   {@link TedeeConnectionException} whose {@link TedeeConnectionException#isTimeout()} says it ran out of
 *   time), as {@code whenComplete}, {@code handle} or {@code exceptionally} on the returned future see it;
 *   {@code join()} and {@code get()} wrap it as they always do. Any unexpected {@link RuntimeException}
 *   fails the future too: only argument checks (null ids, an empty operation id) throw from the method;</li>
 *   <li>is bounded by the request timeout as a hard deadline for each request, a body that arrives slowly
 *   included (a second of margin): past it the request is cancelled, the future fails with a timed-out
 *   {@link TedeeConnectionException} and a late answer is dropped. No thread waits out the deadline;</li>
 *   <li>tells the {@link RequestListener} of every request (each page, the retry after a 401) before it
 *   completes, on the thread that completes it;</li>
 *   <li>completes on whichever thread finishes the last request, usually one of the HTTP client's
 *   executor: keep continuations short or move them to an executor of your own. Cancelling the future
 *   does not stop requests already under way.</li>
 * </ul>
 * Calls that need several requests (every page of {@link #getLockEntriesAsync()}, a filtered sync split
 * past {@link Builder#idsPerSync}) send them one after the other, each when the one before is read.
 *
 * <h2>Threads and connections</h2>
 * A service with many accounts builds one {@link #newHttpClient(Executor, Duration)} and gives it to every
 * client ({@link Builder#httpClient}): threads, connections and file descriptors then do not grow with the
 * number of accounts (over https, HTTP/2 carries every account's requests on one connection).
 */
public final class TedeeClient {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.tedee.com");
    public static final String DEFAULT_API_VERSION = "v37";
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern VERSION = Pattern.compile("v\\d+(\\.\\d+)?");

    private final LockEndpoints locks;
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final String apiVersion;

    private TedeeClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.requestTimeout = builder.requestTimeout;
        this.apiVersion = builder.apiVersion;
        HttpClient http = builder.httpClient != null ? builder.httpClient
                : builder.connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT) ? ClientThreads.sharedHttpClient()
                : newHttpClient(ClientThreads.shared(), builder.connectTimeout);
        ApiTransport transport = new ApiTransport(http, baseUrl, apiVersion,
                AuthorizationHeaders.of(builder.credentials, http.executor().orElseGet(ClientThreads::shared)),
                builder.requestTimeout, RequestListener.all(builder.listeners), builder.clock, "tedee-sync/" + version());
        this.locks = new LockEndpoints(transport, builder.pageSize, builder.idsPerSync);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@link HttpClient} to share among all clients of a process (and their
     * {@link OAuthRefreshTokenSupplier}s): it runs on {@code executor}, follows no redirects (an API that
     * redirects is refused, not followed with the credentials) and gives up connecting after
     * {@code connectTimeout}. Give it a small bounded executor, e.g. {@code Executors.newFixedThreadPool(2)}:
     * its threads only hand answers on and read them, they never wait for I/O. The caller owns the executor
     * (shut it down after the last client is done).
     */
    public static HttpClient newHttpClient(Executor executor, Duration connectTimeout) {
        Objects.requireNonNull(executor, "executor");
        return HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Builder.positive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * {@code GET /my/lock}, every page: all locks of the account with their configuration and state.
     * An element that cannot be read is left out and logged (one WARN line each); see
     * {@link #getLockEntries()} to see them.
     */
    public List<Lock> getLocks() {
        return LockEndpoints.readableLogged(Endpoint.GET_LOCKS, getLockEntries());
    }

    /**
     * {@code GET /my/lock}, every page, read element by element: the locks that could be read and the
     * entries that could not (an impossible date, a field of the wrong type), so one bad lock does not
     * cost the others. Nothing is logged. An unreadable answer as a whole (not JSON, truncated, a result
     * that is not a list) is still a {@link MalformedResponseException}.
     */
    public Entries<Lock> getLockEntries() {
        return Futures.await(getLockEntriesAsync(), Endpoint.GET_LOCKS);
    }

    /** {@link #getLockEntries()} without blocking: each page requested when the one before is read. */
    public CompletableFuture<Entries<Lock>> getLockEntriesAsync() {
        return Futures.settled(locks::getLockEntries);
    }

    /** {@code GET /my/lock/{id}}: one lock with its configuration; {@link NotFoundException} when the id is gone. */
    public Lock getLock(long id) {
        return Futures.await(getLockAsync(id), Endpoint.GET_LOCK);
    }

    /** {@link #getLock(long)} without blocking. */
    public CompletableFuture<Lock> getLockAsync(long id) {
        return Futures.settled(() -> locks.getLock(id));
    }

    /**
     * {@code GET /my/lock/sync}: the current state of every lock of the account (at most once every 10 s).
     * Unreadable elements are left out and logged; see {@link #syncLockEntries()}.
     */
    public List<LockSync> syncLocks() {
        return LockEndpoints.readableLogged(Endpoint.SYNC_LOCKS, syncLockEntries());
    }

    /** {@code GET /my/lock/sync}, read element by element (see {@link #getLockEntries()}). */
    public Entries<LockSync> syncLockEntries() {
        return Futures.await(syncLockEntriesAsync(), Endpoint.SYNC_LOCKS);
    }

    /** {@link #syncLockEntries()} without blocking. */
    public CompletableFuture<Entries<LockSync>> syncLockEntriesAsync() {
        return Futures.settled(locks::syncLockEntries);
    }

    /**
     * {@code GET /my/lock/sync?id=..}: the state of the given locks in one call (split past 100 ids).
     * Ids the cloud does not know are left out of the answer. No call is made for an empty collection.
     * Unreadable elements are left out and logged; see {@link #syncLockEntries(Collection)}.
     */
    public List<LockSync> syncLocks(Collection<Long> ids) {
        return LockEndpoints.readableLogged(Endpoint.SYNC_LOCKS, syncLockEntries(ids));
    }

    /** {@code GET /my/lock/sync?id=..}, split like {@link #syncLocks(Collection)}, read element by element. */
    public Entries<LockSync> syncLockEntries(Collection<Long> ids) {
        return Futures.await(syncLockEntriesAsync(ids), Endpoint.SYNC_LOCKS);
    }

    /**
     * {@link #syncLockEntries(Collection)} without blocking: the calls of a split go one after the other; no
     * ids give a completed future of no entries, without a call.
     *
     * @throws NullPointerException at once when {@code ids} is null
     */
    public CompletableFuture<Entries<LockSync>> syncLockEntriesAsync(Collection<Long> ids) {
        Objects.requireNonNull(ids, "ids");
        return Futures.settled(() -> locks.syncLockEntries(ids));
    }

    /** {@code GET /my/lock/{id}/sync}: the current state of one lock, e.g. after an operation on it. */
    public LockSync syncLock(long id) {
        return Futures.await(syncLockAsync(id), Endpoint.SYNC_LOCK);
    }

    /** {@link #syncLock(long)} without blocking. */
    public CompletableFuture<LockSync> syncLockAsync(long id) {
        return Futures.settled(() -> locks.syncLock(id));
    }

    /** {@code POST /my/lock/{id}/operation/lock}. The lock must be connected and unlocked or semi-locked. */
    public OperationAccepted lock(long id) {
        return Futures.await(operateAsync(id, OperationType.LOCK, null), Endpoint.OPERATE_LOCK);
    }

    /** {@code POST /my/lock/{id}/operation/unlock} in the default mode. */
    public OperationAccepted unlock(long id) {
        return unlock(id, UnlockMode.NORMAL);
    }

    /** {@code POST /my/lock/{id}/operation/unlock?mode=..}. */
    public OperationAccepted unlock(long id, UnlockMode mode) {
        Objects.requireNonNull(mode, "mode");
        return Futures.await(operateAsync(id, OperationType.UNLOCK, mode), Endpoint.OPERATE_LOCK);
    }

    /** {@code POST /my/lock/{id}/operation/pull}. The lock must be unlocked. */
    public OperationAccepted pull(long id) {
        return Futures.await(operateAsync(id, OperationType.PULL, null), Endpoint.OPERATE_LOCK);
    }

    /**
     * {@code POST /my/lock/{id}/operation/{lock|unlock|pull}} without blocking: {@link #lock},
     * {@link #unlock(long, UnlockMode)} and {@link #pull} in one.
     *
     * @param mode for {@link OperationType#UNLOCK} only (null means {@link UnlockMode#NORMAL}); ignored, and
     *             may be null, for the others
     * @throws IllegalArgumentException at once when {@code type} is null or {@link OperationType#UNKNOWN}
     */
    public CompletableFuture<OperationAccepted> operateAsync(long id, OperationType type, UnlockMode mode) {
        if (type == null || type == OperationType.UNKNOWN) {
            throw new IllegalArgumentException("not an operation: " + type);
        }
        return Futures.settled(() -> locks.operate(id, type, type == OperationType.UNLOCK ? mode : null));
    }

    /** {@code GET /my/device/operation/{operationId}}: whether an accepted operation has completed, and how. */
    public DeviceOperation getOperation(String operationId) {
        return Futures.await(getOperationAsync(operationId), Endpoint.GET_OPERATION);
    }

    /**
     * {@link #getOperation(String)} without blocking.
     *
     * @throws IllegalArgumentException at once when {@code operationId} is null or blank
     */
    public CompletableFuture<DeviceOperation> getOperationAsync(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new IllegalArgumentException("operationId is empty");
        }
        return Futures.settled(() -> locks.getOperation(operationId));
    }

    /** The bound of one call, as built (default 15 s). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public String apiVersion() {
        return apiVersion;
    }

    private static String version() {
        String version = TedeeClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String toString() {
        return "TedeeClient[" + baseUrl + ", " + apiVersion + "]";
    }

    /** Settings of a {@link TedeeClient}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private URI baseUrl = DEFAULT_BASE_URL;
        private String apiVersion = DEFAULT_API_VERSION;
        private Credentials credentials;
        private HttpClient httpClient;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int pageSize = 100;
        private int idsPerSync = 100;
        private final java.util.List<RequestListener> listeners = new java.util.ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Default {@code https://api.tedee.com}; the simulator's URL in tests. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            try {
                return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl").trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the API URL '" + baseUrl + "' is not a valid URL", e);
            }
        }

        /** {@code v37} (default), or an older {@code v1.NN}. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion").trim();
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Shortcut for {@code credentials(Credentials.personalKey(key))}. */
        public Builder personalKey(String key) {
            return credentials(Credentials.personalKey(key));
        }

        /**
         * The {@link HttpClient} to send with. A service with many accounts gives every client the same one,
         * made by {@link TedeeClient#newHttpClient(Executor, Duration)}: otherwise each client makes its own
         * (fine for a single client), with a selector thread and connections of its own, though all of them
         * run on one small shared pool of two daemon threads.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Time to establish a connection (default 5 s); ignored when an {@link #httpClient} is given. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Upper bound for one request, from sending to the whole answer (default 15 s): the JDK's request
         * timeout for the headers, and a hard deadline (one second later) that a slowly arriving body
         * cannot escape.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** {@code ItemsPerPage} when getting all locks (default 100). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("pageSize must be between 1 and 1000, was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /** At most this many {@code id=} in one filtered sync (default 100). */
        public Builder idsPerSync(int idsPerSync) {
            if (idsPerSync < 1) {
                throw new IllegalArgumentException("idsPerSync must be positive, was " + idsPerSync);
            }
            this.idsPerSync = idsPerSync;
            return this;
        }

        /** Adds a listener told about every request (metrics, request budgets); several may be added. */
        public Builder requestListener(RequestListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Used to read {@code Retry-After} given as a date. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TedeeClient build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials are required (a personal access key or an access token)");
            }
            String scheme = baseUrl.getScheme();
            if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
                    || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("the API URL must be an absolute http(s) URL, was '" + baseUrl + "'");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawUserInfo() != null) {
                throw new IllegalArgumentException("the API URL must not carry a query or user info");
            }
            if (!VERSION.matcher(apiVersion).matches()) {
                throw new IllegalArgumentException("the API version must look like v37 or v1.35, was '" + apiVersion + "'");
            }
            return new TedeeClient(this);
        }

        static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
