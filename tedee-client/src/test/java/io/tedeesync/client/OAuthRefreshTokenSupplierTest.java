package io.tedeesync.client;

import static io.tedeesync.client.StubServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The refresh-token supplier under concurrency, against the simulator's OAuth endpoint over HTTP. */
class OAuthRefreshTokenSupplierTest {
    private static final int THREADS = 8;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private TedeeSimulator simulator;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().clock(clock).build();
        simulator.addAccount("home", "oauth-test-key");
        simulator.addLock("home", "300000-00001", "Front door");
        simulator.start(0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        simulator.close();
    }

    private URI tokenUrl() {
        return URI.create(simulator.baseUrl() + "/oauth2/v2.0/token");
    }

    private OAuthRefreshTokenSupplier.Builder supplierFor(OAuthTokens tokens) {
        return OAuthRefreshTokenSupplier.builder().tokenUrl(tokenUrl()).refreshToken(tokens.refreshToken()).clock(clock);
    }

    private long tokenRequests() {
        return simulator.requests().stream().filter(request -> request.path().contains("oauth2")).count();
    }

    /** Runs the task on every thread at once and returns what each returned, or the exception it threw. */
    private List<Object> onAllThreadsAtOnce(java.util.function.Supplier<Object> task) throws Exception {
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                try {
                    return task.get();
                } catch (RuntimeException e) {
                    return e;
                }
            }));
        }
        List<Object> results = new ArrayList<>();
        for (Future<Object> future : futures) {
            results.add(future.get(20, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void concurrentCallersWithoutATokenShareOneRefresh() throws Exception {
        OAuthRefreshTokenSupplier supplier = supplierFor(simulator.issueTokens("home")).build();

        List<Object> tokens = onAllThreadsAtOnce(supplier::get);

        assertThat(tokens).allSatisfy(token -> assertThat(token).isInstanceOf(String.class));
        assertThat(Set.copyOf(tokens)).hasSize(1);
        assertThat(tokenRequests()).isEqualTo(1);
    }

    @Test
    void concurrent401sOnTheSameTokenRefreshItOnce() throws Exception {
        OAuthTokens issued = simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = supplierFor(issued)
                .accessToken(issued.accessToken(), clock.instant().plus(Duration.ofHours(4))).build();

        CyclicBarrier allHoldTheOldToken = new CyclicBarrier(THREADS);
        List<Object> tokens = onAllThreadsAtOnce(() -> {
            String refused = supplier.get();
            try {
                allHoldTheOldToken.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            supplier.invalidate(refused);
            return supplier.get();
        });

        assertThat(Set.copyOf(tokens)).singleElement().isNotEqualTo(issued.accessToken());
        assertThat(tokenRequests()).as("one refresh, however the 401s interleave").isEqualTo(1);
    }

    /** invalidate() after a 401 dropped whatever token was current, also one another request had just refreshed. */
    @Test
    void aStale401DoesNotThrowAwayAFreshToken() {
        OAuthTokens issued = simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = supplierFor(issued)
                .accessToken(issued.accessToken(), clock.instant().plus(Duration.ofHours(4))).build();
        simulator.expireAccessTokens("home");
        AtomicBoolean otherRequestRefreshed = new AtomicBoolean();
        // Between this request's 401 and its retry, another request (same supplier) gets its own 401 and refreshes.
        TedeeClient client = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier))
                .requestListener((endpoint, status, latency) -> {
                    if (status == 401 && otherRequestRefreshed.compareAndSet(false, true)) {
                        supplier.invalidate(issued.accessToken());
                        supplier.get();
                    }
                }).build();

        assertThat(client.syncLocks()).hasSize(1);

        assertThat(tokenRequests()).as("the retry uses the token the other request obtained").isEqualTo(1);
        assertThat(simulator.requests()).filteredOn(request -> request.path().startsWith("/api"))
                .extracting(RecordedRequest::status).containsExactly(401, 200);
    }

    @Test
    void aRefusedRefreshReachesEveryWaiterAndTheNextCallTriesAgain() throws Exception {
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder().tokenUrl(tokenUrl())
                .refreshToken("refresh-token-nobody-issued").clock(clock).build();

        List<Object> outcomes = onAllThreadsAtOnce(supplier::get);

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(AuthenticationException.class));
        long afterBurst = tokenRequests();
        assertThat(afterBurst).isBetween(1L, (long) THREADS);
        catchThrowableOfType(AuthenticationException.class, supplier::get);
        assertThat(tokenRequests()).as("a failed refresh is not remembered as a token").isEqualTo(afterBurst + 1);
    }

    @Test
    void noTokenAppearsInToStringMessagesOrLogs() {
        OAuthTokens issued = simulator.issueTokens("home");
        List<String> rotated = new CopyOnWriteArrayList<>();
        OAuthRefreshTokenSupplier supplier = supplierFor(issued).onRefreshTokenRotated(rotated::add).build();
        OAuthRefreshTokenSupplier refused = OAuthRefreshTokenSupplier.builder().tokenUrl(tokenUrl())
                .refreshToken("refused-refresh-token-4242").clock(clock).build();
        Logger logger = (Logger) LoggerFactory.getLogger("io.tedeesync.client");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.setLevel(Level.DEBUG);
        List<String> texts = new ArrayList<>();
        try {
            TedeeClient client = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier)).build();
            client.syncLocks();
            String first = supplier.get();
            simulator.expireAccessTokens("home");
            client.getLocks(); // 401, refresh, retry
            texts.add(first);
            AuthenticationException error = catchThrowableOfType(AuthenticationException.class, refused::get);
            texts.add(error.getMessage());
            texts.add(String.valueOf(error));
        } finally {
            logger.detachAppender(captured);
            logger.setLevel(level);
        }
        String everything = captured.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"))
                + "\n" + supplier + "\n" + refused + "\n" + texts.subList(1, texts.size());
        List<String> secrets = new ArrayList<>(List.of(issued.accessToken(), issued.refreshToken(), supplier.get(),
                supplier.currentRefreshToken(), texts.get(0), "refused-refresh-token-4242"));
        secrets.addAll(rotated);

        assertThat(captured.list).as("the refresh is logged").isNotEmpty();
        assertThat(rotated).as("the simulator rotates refresh tokens").isNotEmpty();
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
        }
    }

    @Test
    void tokenEndpointRetryAfterDateIsReadAgainstTheInjectedClock() {
        try (StubServer tokens = new StubServer()) {
            tokens.on("/token", json(429, "{\"error\":\"throttled\"}").withHeader("Retry-After", "Wed, 25 Nov 2026 10:05:00 GMT"));
            OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(tokens.baseUrl() + "/token")).refreshToken("r")
                    .clock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC)).build();

            RateLimitedException error = catchThrowableOfType(RateLimitedException.class, supplier::get);

            assertThat(error.retryAfter()).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void anAbsurdExpiresInIsCappedInsteadOfOverflowingTheExpiry() {
        try (StubServer tokens = new StubServer()) {
            tokens.on("/token", json(200, "{\"access_token\":\"a\",\"expires_in\":\"9000000000000000000\"}"));
            OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(tokens.baseUrl() + "/token")).refreshToken("r").clock(clock).build();

            assertThat(supplier.get()).isEqualTo("a");
            assertThat(supplier.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        }
    }

    /** The token request was bounded by the request timeout only, which a body stalling after its headers escapes. */
    @Test
    @Timeout(20)
    void aTokenAnswerThatStallsAfterItsHeadersTimesOutForEveryWaiter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (StubServer tokens = new StubServer()) {
            tokens.on("/token", StubServer.Answer.stallBody("{\"access_token\":\"a\",\"expires_in\":3600}", release));
            OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(tokens.baseUrl() + "/token")).refreshToken("r").clock(clock)
                    .requestTimeout(Duration.ofMillis(300)).build();

            List<Object> outcomes = onAllThreadsAtOnce(supplier::get);

            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(TedeeConnectionException.class,
                    error -> assertThat(error.isTimeout()).isTrue()));
        } finally {
            release.countDown();
        }
    }

    @Test
    void anErrorCodeThatEchoesTheRefreshTokenIsNotRepeated() {
        try (StubServer tokens = new StubServer()) {
            tokens.on("/token", json(400, "{\"error\":\"bad refresh_token secret-rt-777\"}"));
            OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                    .tokenUrl(URI.create(tokens.baseUrl() + "/token")).refreshToken("secret-rt-777").clock(clock).build();

            AuthenticationException error = catchThrowableOfType(AuthenticationException.class, supplier::get);

            assertThat(error).hasMessageNotContaining("secret-rt-777");
            assertThat(error.errorMessages()).isEmpty();
        }
    }
}
