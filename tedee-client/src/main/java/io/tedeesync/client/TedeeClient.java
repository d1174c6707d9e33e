package io.tedeesync.client;

import io.tedeesync.client.internal.ApiTransport;
import io.tedeesync.client.internal.LockEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
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
 * <p>Every call is blocking, bounded by the request timeout, and throws a {@link TedeeException}
 * subclass on failure. The client does not pace or retry calls (other than once after a 401 with
 * refreshable credentials): the sync engine decides which call to make and when. Thread-safe and
 * immutable.
 */
public final class TedeeClient {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.tedee.com");
    public static final String DEFAULT_API_VERSION = "v37";
    private static final Pattern VERSION = Pattern.compile("v\\d+(\\.\\d+)?");

    private final LockEndpoints locks;
    private final URI baseUrl;
    private final String apiVersion;

    private TedeeClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.apiVersion = builder.apiVersion;
        HttpClient http = builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        ApiTransport transport = new ApiTransport(http, baseUrl, apiVersion, builder.credentials,
                builder.requestTimeout, RequestListener.all(builder.listeners), builder.clock, "tedee-sync/" + version());
        this.locks = new LockEndpoints(transport, builder.pageSize, builder.idsPerSync);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code GET /my/lock}, every page: all locks of the account with their configuration and state.
     * An element that cannot be read is left out and logged (one WARN line each); see
     * {@link #getLockEntries()} to see them.
     */
    public List<Lock> getLocks() {
        return locks.getLocks();
    }

    /**
     * {@code GET /my/lock}, every page, read element by element: the locks that could be read and the
     * entries that could not (an impossible date, a field of the wrong type), so one bad lock does not
     * cost the others. Nothing is logged. An unreadable answer as a whole (not JSON, truncated, a result
     * that is not a list) is still a {@link MalformedResponseException}.
     */
    public Entries<Lock> getLockEntries() {
        return locks.getLockEntries();
    }

    /** {@code GET /my/lock/{id}}: one lock with its configuration; {@link NotFoundException} when the id is gone. */
    public Lock getLock(long id) {
        return locks.getLock(id);
    }

    /**
     * {@code GET /my/lock/sync}: the current state of every lock of the account (at most once every 10 s).
     * Unreadable elements are left out and logged; see {@link #syncLockEntries()}.
     */
    public List<LockSync> syncLocks() {
        return locks.syncLocks();
    }

    /** {@code GET /my/lock/sync}, read element by element (see {@link #getLockEntries()}). */
    public Entries<LockSync> syncLockEntries() {
        return locks.syncLockEntries();
    }

    /**
     * {@code GET /my/lock/sync?id=..}: the state of the given locks in one call (split past 100 ids).
     * Ids the cloud does not know are left out of the answer. No call is made for an empty collection.
     * Unreadable elements are left out and logged; see {@link #syncLockEntries(Collection)}.
     */
    public List<LockSync> syncLocks(Collection<Long> ids) {
        return locks.syncLocks(Objects.requireNonNull(ids, "ids"));
    }

    /** {@code GET /my/lock/sync?id=..}, split like {@link #syncLocks(Collection)}, read element by element. */
    public Entries<LockSync> syncLockEntries(Collection<Long> ids) {
        return locks.syncLockEntries(Objects.requireNonNull(ids, "ids"));
    }

    /** {@code GET /my/lock/{id}/sync}: the current state of one lock, e.g. after an operation on it. */
    public LockSync syncLock(long id) {
        return locks.syncLock(id);
    }

    /** {@code POST /my/lock/{id}/operation/lock}. The lock must be connected and unlocked or semi-locked. */
    public OperationAccepted lock(long id) {
        return locks.operate(id, OperationType.LOCK, null);
    }

    /** {@code POST /my/lock/{id}/operation/unlock} in the default mode. */
    public OperationAccepted unlock(long id) {
        return unlock(id, UnlockMode.NORMAL);
    }

    /** {@code POST /my/lock/{id}/operation/unlock?mode=..}. */
    public OperationAccepted unlock(long id, UnlockMode mode) {
        return locks.operate(id, OperationType.UNLOCK, Objects.requireNonNull(mode, "mode"));
    }

    /** {@code POST /my/lock/{id}/operation/pull}. The lock must be unlocked. */
    public OperationAccepted pull(long id) {
        return locks.operate(id, OperationType.PULL, null);
    }

    /** {@code GET /my/device/operation/{operationId}}: whether an accepted operation has completed, and how. */
    public DeviceOperation getOperation(String operationId) {
        return locks.getOperation(operationId);
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
        private Duration connectTimeout = Duration.ofSeconds(5);
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

        /** A shared {@link HttpClient}; by default each client makes its own. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Time to establish a connection (default 5 s); ignored when an {@link #httpClient} is given. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Upper bound for one call, from sending to the whole answer (default 15 s). */
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

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
