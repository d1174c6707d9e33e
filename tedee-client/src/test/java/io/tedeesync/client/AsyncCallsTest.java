package io.tedeesync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The async calls the engine builds on: same answers and same exceptions as the blocking ones (not
 * wrapped), chained pages, no blocked caller, no thread per client, OAuth refresh off the caller's thread.
 * Real HTTP against the simulator (and a stub server where an answer must wait for the test).
 */
@Timeout(60)
class AsyncCallsTest {
    private static final String KEY = "async-personal-key";
    private static final String SYNC = "/api/v37/my/lock/sync";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:05Z"));
    private final ExecutorService sharedPool = Executors.newFixedThreadPool(2, named("shared-http"));
    private final HttpClient sharedHttp = TedeeClient.newHttpClient(sharedPool, Duration.ofSeconds(5));
    private TedeeSimulator simulator;
    private TedeeClient client;
    private long frontId;
    private long backId;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().clock(clock).seed(1).operationDelay(Duration.ofSeconds(3)).build();
        simulator.addAccount("home", KEY);
        frontId = simulator.addLock("home", "100000-00001", "Front door");
        backId = simulator.addLock("home", "100000-00002", "Back door");
        simulator.setLockState("100000-00001", LockState.UNLOCKED.code());
        simulator.start(0);
        client = clientFor(KEY).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        simulator.close();
        sharedPool.shutdownNow();
        sharedPool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private TedeeClient.Builder clientFor(String key) {
        return TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(key).clock(clock).httpClient(sharedHttp);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The failure as {@code whenComplete} on the returned future itself sees it (null when it succeeded). */
    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        future.whenComplete((value, failure) -> seen.complete(failure));
        return seen.get(30, TimeUnit.SECONDS);
    }

    /** Plays the same fault to the async call and to its blocking twin; both must fail alike. */
    private Throwable failsLikeItsBlockingTwin(Runnable fault, Supplier<CompletableFuture<?>> async, Runnable blocking)
            throws Exception {
        fault.run();
        Throwable asyncFailure = failureOf(async.get());
        fault.run();
        Throwable blockingFailure = catchThrowable(blocking::run);

        assertThat(blockingFailure).isInstanceOf(TedeeException.class);
        assertThat(asyncFailure).isExactlyInstanceOf(blockingFailure.getClass()).hasMessage(blockingFailure.getMessage());
        return asyncFailure;
    }

    @Test
    void everyAsyncReadReturnsWhatItsBlockingTwinReturns() {
        assertThat(client.getLockEntriesAsync().join()).isEqualTo(client.getLockEntries());
        assertThat(client.getLockAsync(frontId).join()).isEqualTo(client.getLock(frontId));
        assertThat(client.syncLockEntriesAsync().join()).isEqualTo(client.syncLockEntries());
        assertThat(client.syncLockEntriesAsync(List.of(backId)).join()).isEqualTo(client.syncLockEntries(List.of(backId)));
        assertThat(client.syncLockAsync(backId).join()).isEqualTo(client.syncLock(backId));

        assertThat(client.getLockEntriesAsync().join().readable()).extracting(Lock::serialNumber)
                .containsExactly("100000-00001", "100000-00002");
    }

    @Test
    void operateAsyncSendsTheModeForAnUnlockOnlyAndFollowsLikeTheBlockingCalls() {
        simulator.clearRequests();

        OperationAccepted locked = client.operateAsync(frontId, OperationType.LOCK, UnlockMode.FORCE).join();
        DeviceOperation followed = client.getOperationAsync(locked.operationId()).join();
        client.operateAsync(backId, OperationType.UNLOCK, null).join();
        client.operateAsync(backId, OperationType.UNLOCK, UnlockMode.FORCE).join();
        client.operateAsync(frontId, OperationType.PULL, UnlockMode.UNLOCK_OR_PULL).join();

        assertThat(followed).isEqualTo(client.getOperation(locked.operationId()));
        assertThat(followed.type()).isEqualTo(OperationType.LOCK);
        assertThat(followed.deviceId()).isEqualTo(frontId);
        assertThat(simulator.requests()).filteredOn(request -> request.method().equals("POST"))
                .extracting(request -> request.path().substring(request.path().indexOf("/operation/")) + "?" + request.query())
                .containsExactly("/operation/lock?", "/operation/unlock?", "/operation/unlock?mode=2", "/operation/pull?");
    }

    @Test
    void noIdsMeanACompletedEmptyAnswerWithoutACallAndNullIdsAreRefusedAtOnce() {
        simulator.clearRequests();

        CompletableFuture<Entries<LockSync>> none = client.syncLockEntriesAsync(List.of());

        assertThat(none).isCompletedWithValue(new Entries<>(List.of(), List.of()));
        assertThat(simulator.requests()).isEmpty();
        assertThatThrownBy(() -> client.syncLockEntriesAsync(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> client.getOperationAsync(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.operateAsync(frontId, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failuresAreTheExceptionsThemselvesOfTheSameTypeAndMessageAsBlocking() throws Exception {
        TedeeClient refused = clientFor("not-the-key").build();
        Throwable unauthorized = failsLikeItsBlockingTwin(() -> { }, refused::syncLockEntriesAsync, refused::syncLocks);
        assertThat(unauthorized).isInstanceOf(AuthenticationException.class).hasMessageNotContaining("not-the-key");

        Throwable limited = failsLikeItsBlockingTwin(() -> simulator.injectFault(Fault.rateLimited(Duration.ofSeconds(90)), 1),
                client::syncLockEntriesAsync, client::syncLocks);
        assertThat(limited).isInstanceOfSatisfying(RateLimitedException.class,
                error -> assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(90)));

        Throwable gone = failsLikeItsBlockingTwin(() -> { }, () -> client.getLockAsync(987_654), () -> client.getLock(987_654));
        assertThat(gone).isInstanceOf(NotFoundException.class);

        Throwable malformed = failsLikeItsBlockingTwin(() -> simulator.injectFault(Fault.malformedBody(), 1),
                client::syncLockEntriesAsync, client::syncLocks);
        assertThat(malformed).isInstanceOf(MalformedResponseException.class);

        TedeeClient impatient = clientFor(KEY).requestTimeout(Duration.ofMillis(200)).build();
        Throwable slow = failsLikeItsBlockingTwin(() -> simulator.injectFault(Fault.slow(Duration.ofSeconds(2)), 1),
                impatient::syncLockEntriesAsync, impatient::syncLocks);
        assertThat(slow).isInstanceOfSatisfying(TedeeConnectionException.class, error -> assertThat(error.isTimeout()).isTrue());

        assertThat(client.syncLockEntriesAsync().join().readable()).hasSize(2);
    }

    /** The JDK's request timeout ends at the headers: only the client's own deadline ends a body that stalls. */
    @Test
    void aBodyThatStallsAfterItsHeadersFailsAtTheDeadlineAndItsRequestIsToldOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> told = new CopyOnWriteArrayList<>();
        try (StubServer server = new StubServer()) {
            server.on(SYNC, StubServer.Answer.stallBody("{\"result\":[],\"success\":true}", release));
            TedeeClient stalled = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).httpClient(sharedHttp)
                    .requestTimeout(Duration.ofMillis(300))
                    .requestListener((endpoint, status, latency) -> told.add(endpoint + " " + status)).build();

            Throwable failure = failureOf(stalled.syncLockEntriesAsync());

            assertThat(failure).isInstanceOfSatisfying(TedeeConnectionException.class, error -> {
                assertThat(error.isTimeout()).isTrue();
                assertThat(error.endpoint()).isEqualTo(Endpoint.SYNC_LOCKS);
            });
            assertThat(told).containsExactly("SYNC_LOCKS 0");
        } finally {
            release.countDown();
        }
    }

    @Test
    void getAllChainsOneRequestPerPageAndTellsTheListenerOfEach() {
        for (int i = 3; i <= 7; i++) {
            simulator.addLock("home", String.format("100000-%05d", i), "Lock " + i);
        }
        List<String> told = new CopyOnWriteArrayList<>();
        TedeeClient paged = clientFor(KEY).pageSize(2)
                .requestListener((endpoint, status, latency) -> told.add(endpoint + " " + status)).build();
        simulator.clearRequests();

        Entries<Lock> entries = paged.getLockEntriesAsync().join();

        assertThat(entries.readable()).hasSize(7).extracting(Lock::serialNumber).doesNotHaveDuplicates();
        assertThat(simulator.requests()).extracting(RecordedRequest::query)
                .containsExactly("Page=1&ItemsPerPage=2", "Page=2&ItemsPerPage=2", "Page=3&ItemsPerPage=2", "Page=4&ItemsPerPage=2");
        assertThat(told).containsExactly("GET_LOCKS 200", "GET_LOCKS 200", "GET_LOCKS 200", "GET_LOCKS 200");
        assertThat(entries).isEqualTo(paged.getLockEntries());
    }

    @Test
    void aPageThatFailsFailsTheWholeGetAllWithItsOwnException() throws Exception {
        for (int i = 3; i <= 5; i++) {
            simulator.addLock("home", String.format("100000-%05d", i), "Lock " + i);
        }
        AtomicInteger pages = new AtomicInteger();
        // Told of page 1 before page 2 is asked for: the fault is in place for page 2 exactly.
        TedeeClient paged = clientFor(KEY).pageSize(2).requestListener((endpoint, status, latency) -> {
            if (pages.incrementAndGet() == 1) {
                simulator.injectFault(Fault.serverError(503), 1);
            }
        }).build();

        Throwable failure = failureOf(paged.getLockEntriesAsync());

        assertThat(failure).isInstanceOf(TedeeServerException.class);
        assertThat(pages).hasValue(2);
    }

    /** The answer is held until the call has returned: the call cannot have blocked, nor been completed by the caller. */
    @Test
    void theCallReturnsBeforeTheAnswerAndAnHttpThreadCompletesIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (StubServer server = new StubServer()) {
            server.on(SYNC, StubServer.Answer.held("{\"result\":[],\"success\":true}", release));
            AtomicReference<Thread> toldOn = new AtomicReference<>();
            TedeeClient held = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).httpClient(sharedHttp)
                    .requestListener((endpoint, status, latency) -> toldOn.set(Thread.currentThread())).build();
            AtomicReference<Thread> completedOn = new AtomicReference<>();

            CompletableFuture<Entries<LockSync>> pending = held.syncLockEntriesAsync();
            CompletableFuture<Entries<LockSync>> observed = pending.whenComplete((value, failure) -> completedOn.set(Thread.currentThread()));
            boolean doneBeforeTheAnswer = pending.isDone();
            release.countDown();

            assertThat(doneBeforeTheAnswer).isFalse();
            assertThat(observed.get(30, TimeUnit.SECONDS).readable()).isEmpty();
            // The HttpClient's own executor: not the caller, and not a thread started for this one answer (the
            // JDK 17 client completes sendAsync on a new thread per answer on 2 cores).
            assertThat(completedOn.get().getName()).startsWith("shared-http-");
            assertThat(toldOn.get().getName()).startsWith("shared-http-");
            assertThat(server.seen()).singleElement().satisfies(request -> assertThat(request.upgrade())
                    .as("HTTP/1.1 to a plain http:// URL, no h2c upgrade").isNull());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aHundredClientsSharingOneHttpClientAddNoThreadPerClient() throws Exception {
        List<Long> locks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            simulator.addAccount("account-" + i, "key-" + i);
            locks.add(simulator.addLock("account-" + i, String.format("200000-%05d", i), "Door " + i));
        }
        client.syncLockEntriesAsync().join(); // the shared client's selector, pool and the JDK timer exist from here on
        long before = clientSideThreads();

        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TedeeClient account = clientFor("key-" + i).build();
            calls.add(account.getLockAsync(locks.get(i)));
            calls.add(account.syncLockAsync(locks.get(i)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long after = clientSideThreads();

        assertThat(calls).allSatisfy(call -> assertThat(call).isCompleted());
        assertThat(calls.stream().map(CompletableFuture::join).map(answer -> answer instanceof Lock lock ? lock.id() : ((LockSync) answer).id())
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(locks);
        assertThat(after - before).as("threads added by 100 clients and 200 concurrent calls").isLessThanOrEqualTo(3);
        assertThat(sharedHttp.executor()).containsSame(sharedPool);
        assertThat(sharedHttp.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(sharedHttp.connectTimeout()).contains(Duration.ofSeconds(5));
    }

    /** Live threads of this JVM but the simulator's own (its server takes a thread per concurrent request). */
    private static long clientSideThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> !thread.getName().startsWith("tedee-simulator"))
                .count();
    }

    @Test
    void clientsBuiltWithoutAnHttpClientRunOnOneSmallSharedPool() {
        Set<Thread> existing = Set.copyOf(Thread.getAllStackTraces().keySet());
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TedeeClient own = TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(KEY).clock(clock).build();
            calls.add(own.syncLockEntriesAsync());
            calls.add(own.getLockEntriesAsync());
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        List<String> added = Thread.getAllStackTraces().keySet().stream().filter(thread -> !existing.contains(thread))
                .map(Thread::getName).filter(name -> !name.startsWith("tedee-simulator")).collect(Collectors.toList());
        List<String> pool = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("tedee-client-")).collect(Collectors.toList());

        assertThat(pool).as("the shared pool").hasSizeBetween(1, 2);
        assertThat(added).as("no executor of its own per client, only its selector").noneMatch(name -> name.contains("Worker"));
    }

    @Test
    void aRefusedTokenIsRefreshedWithoutBlockingAndTheCallRetriedOnce() {
        OAuthTokens tokens = simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                .tokenUrl(URI.create(simulator.baseUrl() + "/oauth2/v2.0/token"))
                .refreshToken(tokens.refreshToken())
                .accessToken(tokens.accessToken(), clock.instant().plus(Duration.ofHours(4)))
                .clock(clock).build();
        List<String> told = new CopyOnWriteArrayList<>();
        TedeeClient oauth = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier))
                .httpClient(sharedHttp).requestListener((endpoint, status, latency) -> told.add(endpoint + " " + status)).build();
        simulator.expireAccessTokens("home");
        simulator.clearRequests();

        assertThat(oauth.syncLockEntriesAsync().join().readable()).hasSize(2);

        assertThat(simulator.requests()).extracting(RecordedRequest::status).containsExactly(401, 200, 200);
        assertThat(told).containsExactly("SYNC_LOCKS 401", "SYNC_LOCKS 200");
    }

    /** The token answer is held until the call has returned, so the refresh cannot have run on the caller's thread. */
    @Test
    void aNeededRefreshRunsOffTheCallersThreadAndTheCallSucceeds() throws Exception {
        OAuthTokens issued = simulator.issueTokens("home");
        CountDownLatch release = new CountDownLatch(1);
        try (StubServer tokenEndpoint = new StubServer()) {
            tokenEndpoint.on("/token", StubServer.Answer.held("{\"access_token\":\"" + issued.accessToken()
                    + "\",\"expires_in\":\"14400\",\"refresh_token\":\"rotated-refresh-token\"}", release));
            AtomicReference<Thread> refreshedOn = new AtomicReference<>();
            OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(tokenEndpoint.baseUrl() + "/token")).refreshToken("first-refresh-token").clock(clock)
                    .onRefreshTokenRotated(token -> refreshedOn.set(Thread.currentThread())).build();
            TedeeClient oauth = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier))
                    .httpClient(sharedHttp).build();

            CompletableFuture<Entries<LockSync>> pending = oauth.syncLockEntriesAsync();
            boolean doneBeforeTheToken = pending.isDone();
            release.countDown();

            assertThat(doneBeforeTheToken).isFalse();
            assertThat(pending.get(30, TimeUnit.SECONDS)).isEqualTo(client.syncLockEntries());
            assertThat(refreshedOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
            assertThat(supplier.currentRefreshToken()).isEqualTo("rotated-refresh-token");
            assertThat(tokenEndpoint.seen()).singleElement().satisfies(request -> assertThat(request.upgrade()).isNull());
        } finally {
            release.countDown();
        }
    }

    @Test
    void credentialsThatMayBlockAreAskedOnTheHttpClientsExecutor() {
        List<Thread> askedOn = new CopyOnWriteArrayList<>();
        OAuthTokens tokens = simulator.issueTokens("home");
        TedeeClient custom = TedeeClient.builder().baseUrl(simulator.baseUrl()).httpClient(sharedHttp)
                .credentials(Credentials.bearer(() -> {
                    askedOn.add(Thread.currentThread());
                    return tokens.accessToken();
                })).build();

        assertThat(custom.syncLockEntriesAsync().join().readable()).hasSize(2);
        assertThat(custom.syncLocks()).hasSize(2);

        assertThat(askedOn).hasSize(2).allSatisfy(thread -> assertThat(thread.getName()).startsWith("shared-http-"));
    }
}
