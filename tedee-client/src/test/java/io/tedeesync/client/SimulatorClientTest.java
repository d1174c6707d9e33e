package io.tedeesync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against the simulated Tedee cloud over real HTTP. */
class SimulatorClientTest {
    private static final String KEY = "sim-personal-key";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:05Z"));
    private TedeeSimulator simulator;
    private TedeeClient client;
    private long frontId;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().clock(clock).seed(1).operationDelay(Duration.ofSeconds(3)).build();
        simulator.addAccount("home", KEY);
        frontId = simulator.addLock("home", "100000-00001", "Front door");
        simulator.addLock("home", "100000-00002", "Back door");
        simulator.setLockState("100000-00001", LockState.UNLOCKED.code());
        simulator.start(0);
        client = clientFor("v37");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private TedeeClient clientFor(String version) {
        return TedeeClient.builder().baseUrl(simulator.baseUrl()).apiVersion(version).personalKey(KEY).clock(clock).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.32", "v1.33", "v1.34", "v1.35", "v1.36", "v37"})
    void everyPayloadGenerationReadsTheSameState(String version) {
        simulator.setLockState("100000-00002", LockState.SEMI_LOCKED.code());
        simulator.setBattery("100000-00002", 42);
        TedeeClient versioned = clientFor(version);

        Lock lock = versioned.getLocks().stream().filter(l -> l.serialNumber().equals("100000-00002")).findFirst().orElseThrow();
        LockSync sync = versioned.syncLock(lock.id());

        assertThat(lock.deviceState().state()).isEqualTo(LockState.SEMI_LOCKED);
        assertThat(lock.deviceState().batteryLevel()).isEqualTo(42);
        assertThat(sync.deviceState().state()).isEqualTo(LockState.SEMI_LOCKED);
        assertThat(sync.deviceState().batteryLevel()).isEqualTo(42);
    }

    @Test
    void getLocksFollowsEveryPage() {
        for (int i = 3; i <= 250; i++) {
            simulator.addLock("home", String.format("100000-%05d", i), "Lock " + i);
        }
        TedeeClient paged = TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(KEY).pageSize(100).build();
        simulator.clearRequests();

        List<Lock> locks = paged.getLocks();

        assertThat(locks).hasSize(250);
        assertThat(locks).extracting(Lock::serialNumber).doesNotHaveDuplicates();
        assertThat(simulator.requests()).hasSize(3);
    }

    @Test
    void filteredSyncReturnsOnlyTheAskedLocksInOneRequest() {
        simulator.clearRequests();

        List<LockSync> synced = client.syncLocks(List.of(frontId));

        assertThat(synced).extracting(LockSync::id).containsExactly(frontId);
        assertThat(simulator.requests()).singleElement().satisfies(r -> assertThat(r.query()).isEqualTo("id=" + frontId));
    }

    @Test
    void disconnectedLockHasNoPosition() {
        simulator.disconnect("100000-00001");

        LockSync sync = client.syncLock(frontId);
        Lock lock = client.getLock(frontId);

        assertThat(sync.connected()).isFalse();
        assertThat(sync.deviceState()).isNull();
        assertThat(lock.connected()).isFalse();
        assertThat(lock.deviceState()).isNull();
    }

    @Test
    void operationGoesThroughTheIntermediateStateToCompletion() {
        OperationAccepted accepted = client.lock(frontId);

        assertThat(client.getOperation(accepted.operationId()).status()).isEqualTo(OperationStatus.PENDING);
        assertThat(client.syncLock(frontId).deviceState().state()).isEqualTo(LockState.LOCKING);

        clock.advance(Duration.ofSeconds(3));
        DeviceOperation done = client.getOperation(accepted.operationId());

        assertThat(done.isSuccessful()).isTrue();
        assertThat(done.type()).isEqualTo(OperationType.LOCK);
        assertThat(done.deviceId()).isEqualTo(frontId);
        assertThat(client.syncLock(frontId).deviceState().state()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void reAddedLockKeepsItsSerialUnderANewIdAndTheOldIdIsGone() {
        long newId = simulator.reAddLock("100000-00001");

        assertThat(newId).isNotEqualTo(frontId);
        assertThatThrownBy(() -> client.syncLock(frontId)).isInstanceOf(NotFoundException.class);
        assertThat(client.getLock(newId).serialNumber()).isEqualTo("100000-00001");
    }

    @Test
    void wrongKeyIsAnAuthenticationError() {
        TedeeClient wrong = TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey("not-the-key").build();

        assertThatThrownBy(wrong::getLocks).isInstanceOf(AuthenticationException.class).hasMessageNotContaining("not-the-key");
    }

    @Test
    void overTheHourlyBudgetIsRateLimitedUntilTheNextWindow() {
        try (TedeeSimulator strict = TedeeSimulator.builder().clock(clock).requestsPerHour(3).build()) {
            strict.addAccount("home", KEY);
            long id = strict.addLock("home", "100000-00009", "Door");
            strict.start(0);
            TedeeClient limited = TedeeClient.builder().baseUrl(strict.baseUrl()).personalKey(KEY).build();
            for (int i = 0; i < 3; i++) {
                limited.syncLock(id);
            }

            RateLimitedException error = catchThrowableOfType(RateLimitedException.class, () -> limited.syncLock(id));

            assertThat(error.retryAfterGiven()).isTrue();
            assertThat(error.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
            clock.advance(error.retryAfter());
            assertThat(limited.syncLock(id).id()).isEqualTo(id);
        }
    }

    @Test
    void faultsBecomeTheMatchingExceptions() {
        simulator.injectFault(Fault.serverError(503), 1);
        assertThatThrownBy(client::syncLocks).isInstanceOf(TedeeServerException.class);
        simulator.injectFault(Fault.malformedBody(), 1);
        assertThatThrownBy(client::syncLocks).isInstanceOf(MalformedResponseException.class);
        // Twice: the JDK client silently retries a GET once when a reused keep-alive connection drops.
        simulator.injectFault(Fault.dropConnection(), 2);
        assertThat(catchThrowableOfType(TedeeConnectionException.class, client::syncLocks).isTimeout()).isFalse();
        simulator.injectFault(Fault.rateLimited(Duration.ofSeconds(90)), 1);
        assertThat(catchThrowableOfType(RateLimitedException.class, client::syncLocks).retryAfter()).isEqualTo(Duration.ofSeconds(90));
        simulator.injectFault(Fault.slow(Duration.ofSeconds(2)), 1);
        TedeeClient impatient = TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(KEY)
                .requestTimeout(Duration.ofMillis(200)).build();
        assertThat(catchThrowableOfType(TedeeConnectionException.class, impatient::syncLocks).isTimeout()).isTrue();

        assertThat(client.syncLocks()).hasSize(2);
    }

    @Test
    void refreshGrantObtainsATokenAndRefreshesBeforeExpiry() {
        OAuthTokens tokens = simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                .tokenUrl(tokenUrl())
                .clientId("client-id")
                .refreshToken(tokens.refreshToken())
                .clock(clock)
                .build();
        TedeeClient oauth = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier)).build();

        assertThat(oauth.getLocks()).hasSize(2);
        Instant firstExpiry = supplier.expiresAt();
        assertThat(firstExpiry).isEqualTo(clock.instant().plus(Duration.ofHours(4)));

        clock.advance(Duration.ofHours(4).minusMinutes(4));
        assertThat(oauth.syncLocks()).hasSize(2);

        assertThat(supplier.expiresAt()).as("refreshed within the 5 min margin").isAfter(firstExpiry);
        assertThat(simulator.requests()).filteredOn(r -> r.path().contains("oauth2")).hasSize(2);
    }

    @Test
    void refusedAccessTokenIsRefreshedOnceAndTheCallSucceeds() {
        OAuthTokens tokens = simulator.issueTokens("home");
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                .tokenUrl(tokenUrl())
                .refreshToken(tokens.refreshToken())
                .accessToken(tokens.accessToken(), clock.instant().plus(Duration.ofHours(4)))
                .clock(clock)
                .build();
        TedeeClient oauth = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier)).build();
        simulator.expireAccessTokens("home");

        assertThat(oauth.syncLocks()).hasSize(2);
        assertThat(simulator.requests()).extracting(r -> r.status()).containsExactly(401, 200, 200);
    }

    @Test
    void refusedRefreshTokenIsAnAuthenticationError() {
        OAuthRefreshTokenSupplier supplier = OAuthRefreshTokenSupplier.builder()
                .tokenUrl(tokenUrl()).refreshToken("made-up-refresh-token").clock(clock).build();
        TedeeClient oauth = TedeeClient.builder().baseUrl(simulator.baseUrl()).credentials(Credentials.bearer(supplier)).build();

        assertThatThrownBy(oauth::getLocks).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("refresh token was refused").hasMessageNotContaining("made-up-refresh-token");
    }

    private URI tokenUrl() {
        return URI.create(simulator.baseUrl() + "/oauth2/v2.0/token");
    }
}
