package io.tedeesync.client;

import static io.tedeesync.client.StubServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each failure the API can produce becomes the exception that tells the caller what to do next. */
class ErrorMappingTest {
    private static final String KEY = "secret-personal-key-4711";
    private static final String SYNC = "/api/v37/my/lock/sync";

    private final StubServer server = new StubServer();
    private final TedeeClient client = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private static String envelopeError(int status, String message) {
        return "{\"result\":null,\"success\":false,\"errorMessages\":[\"" + message + "\"],\"statusCode\":" + status + "}";
    }

    @Test
    void unauthorizedIsAnAuthenticationErrorThatNeverEchoesTheKey() {
        server.on(SYNC, json(401, envelopeError(401, "Unauthorized")));

        AuthenticationException error = catchThrowableOfType(AuthenticationException.class, client::syncLocks);

        assertThat(error.statusCode()).isEqualTo(401);
        assertThat(error.endpoint()).isEqualTo(Endpoint.SYNC_LOCKS);
        assertThat(error).hasMessageContaining("401").hasMessageNotContaining(KEY);
        assertThat(String.valueOf(error)).doesNotContain(KEY);
        assertThat(server.seen()).as("a personal key cannot be refreshed: no retry").hasSize(1);
    }

    @Test
    void unauthorizedWithRefreshableTokenRetriesOnceWithTheNewToken() {
        AtomicInteger issued = new AtomicInteger();
        AccessTokenSupplier tokens = new AccessTokenSupplier() {
            @Override
            public String get() {
                return "token-" + issued.get();
            }

            @Override
            public boolean invalidate() {
                issued.incrementAndGet();
                return true;
            }
        };
        TedeeClient bearer = TedeeClient.builder().baseUrl(server.baseUrl()).credentials(Credentials.bearer(tokens)).build();
        server.on(SYNC, json(401, envelopeError(401, "Unauthorized")));

        assertThatThrownBy(bearer::syncLocks).isInstanceOf(AuthenticationException.class);

        assertThat(server.seen()).extracting(StubServer.Seen::authorization)
                .containsExactly("Bearer token-0", "Bearer token-1");
    }

    @Test
    void forbiddenNotFoundAndOtherRefusalsAreTyped() {
        server.on("/api/v37/my/lock/1/", json(403, envelopeError(403, "Forbidden")));
        server.on("/api/v37/my/lock/2/", json(404, envelopeError(404, "Lock with id 2 not found")));
        server.on("/api/v37/my/lock/3/", json(409, envelopeError(409, "Conflict")));
        server.on("/api/v37/my/lock/4/", json(400, "not json at all"));

        assertThat(catchThrowableOfType(ForbiddenException.class, () -> client.syncLock(1)).statusCode()).isEqualTo(403);
        NotFoundException notFound = catchThrowableOfType(NotFoundException.class, () -> client.syncLock(2));
        assertThat(notFound.errorMessages()).containsExactly("Lock with id 2 not found");
        assertThat(notFound).hasMessageContaining("Lock with id 2 not found");
        assertThat(catchThrowableOfType(RequestRejectedException.class, () -> client.syncLock(3)).statusCode()).isEqualTo(409);
        assertThat(catchThrowableOfType(RequestRejectedException.class, () -> client.syncLock(4)).errorMessages()).isEmpty();
    }

    @Test
    void rateLimitedCarriesRetryAfterSeconds() {
        server.on(SYNC, json(429, envelopeError(429, "Too many requests")).withHeader("Retry-After", "1234"));

        RateLimitedException error = catchThrowableOfType(RateLimitedException.class, client::syncLocks);

        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(1234));
        assertThat(error.retryAfterGiven()).isTrue();
        assertThat(error.statusCode()).isEqualTo(429);
    }

    @Test
    void rateLimitedReadsRetryAfterAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        TedeeClient timed = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).clock(clock).build();
        server.on(SYNC, json(429, "").withHeader("Retry-After", "Wed, 25 Nov 2026 10:05:00 GMT"));

        RateLimitedException error = catchThrowableOfType(RateLimitedException.class, timed::syncLocks);

        assertThat(error.retryAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rateLimitedWithoutRetryAfterFallsBackToAConservativeWait() {
        server.on(SYNC, json(429, envelopeError(429, "Too many requests")));

        RateLimitedException error = catchThrowableOfType(RateLimitedException.class, client::syncLocks);

        assertThat(error.retryAfterGiven()).isFalse();
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void serverErrorsIncludingHtmlPagesAreServerExceptions() {
        server.on("/api/v37/my/lock/1/", json(500, envelopeError(500, "Internal error")));
        server.on("/api/v37/my/lock/2/", new StubServer.Answer(502, java.util.Map.of("Content-Type", "text/html"),
                "<html><body>Bad gateway</body></html>", false, null));

        assertThat(catchThrowableOfType(TedeeServerException.class, () -> client.syncLock(1)).errorMessages())
                .containsExactly("Internal error");
        assertThat(catchThrowableOfType(TedeeServerException.class, () -> client.syncLock(2)).statusCode()).isEqualTo(502);
    }

    @Test
    void successFalseInsideA200IsSurfacedWithItsMessages() {
        server.on(SYNC, json(200, "{\"result\":null,\"success\":false,\"errorMessages\":[\"Something is off\"],\"statusCode\":400}"));

        RequestRejectedException error = catchThrowableOfType(RequestRejectedException.class, client::syncLocks);

        assertThat(error.errorMessages()).containsExactly("Something is off");
        assertThat(error.statusCode()).isEqualTo(400);
    }

    @Test
    void unreadableBodiesAreMalformedResponses() {
        server.on("/api/v37/my/lock/1/", json(200, "{\"result\": {\"id\": 1, \"isConn"));
        server.on("/api/v37/my/lock/2/", json(200, "<html>maintenance</html>"));
        server.on("/api/v37/my/lock/3/", json(200, "{\"result\": null, \"success\": true}"));
        server.on("/api/v37/my/lock/4/", json(200, "{\"result\": {\"isConnected\": true}, \"success\": true}"));
        server.on("/api/v37/my/lock/5/", json(200, "{\"result\": {\"id\": 5, \"isConnected\": true, \"deviceState\": {\"state\": 6,"
                + " \"lastStateChangedDate\": \"yesterday\"}}, \"success\": true}"));
        server.on("/api/v37/my/lock/6/", json(200, ""));

        for (int id = 1; id <= 6; id++) {
            long lockId = id;
            assertThatThrownBy(() -> client.syncLock(lockId)).as("lock %d", id).isInstanceOf(MalformedResponseException.class);
        }
    }

    @Test
    void droppedConnectionIsAConnectionErrorWithoutStatus() {
        server.on(SYNC, StubServer.Answer.dropConnection());

        TedeeConnectionException error = catchThrowableOfType(TedeeConnectionException.class, client::syncLocks);

        assertThat(error.statusCode()).isZero();
        assertThat(error.isTimeout()).isFalse();
    }

    @Test
    void slowAnswerTimesOutAsAConnectionErrorFlaggedTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        server.on(SYNC, StubServer.Answer.hang(release));
        TedeeClient impatient = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY)
                .requestTimeout(Duration.ofMillis(300)).build();
        try {
            TedeeConnectionException error = catchThrowableOfType(TedeeConnectionException.class, impatient::syncLocks);

            assertThat(error.isTimeout()).isTrue();
            assertThat(error.statusCode()).as("no status is invented for a timeout").isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void unreachableApiIsAConnectionError() {
        int closedPort = server.baseUrl().getPort();
        server.close();
        TedeeClient nowhere = TedeeClient.builder().baseUrl("http://127.0.0.1:" + closedPort).personalKey(KEY).build();

        assertThatThrownBy(nowhere::syncLocks).isInstanceOf(TedeeConnectionException.class)
                .hasMessageContaining("could not reach").hasMessageNotContaining(KEY);
    }

    @Test
    void everyRequestIsReportedToTheListenerFailuresToo() {
        java.util.List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        TedeeClient observed = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY)
                .requestListener((endpoint, status, latency) -> reported.add(endpoint + " " + status)).build();
        server.on("/api/v37/my/lock/1/", json(200, "{\"result\":{\"id\":1,\"isConnected\":false},\"success\":true}"));
        server.on("/api/v37/my/lock/2/", json(503, ""));
        server.on("/api/v37/my/lock/3/", StubServer.Answer.dropConnection());

        observed.syncLock(1);
        assertThatThrownBy(() -> observed.syncLock(2)).isInstanceOf(TedeeServerException.class);
        assertThatThrownBy(() -> observed.syncLock(3)).isInstanceOf(TedeeConnectionException.class);

        assertThat(reported).containsExactly("SYNC_LOCK 200", "SYNC_LOCK 503", "SYNC_LOCK 0");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheCall() {
        TedeeClient observed = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY)
                .requestListener((endpoint, status, latency) -> { throw new IllegalStateException("listener bug"); }).build();
        server.on("/api/v37/my/lock/1/", json(200, "{\"result\":{\"id\":1,\"isConnected\":false},\"success\":true}"));

        assertThat(observed.syncLock(1).connected()).isFalse();
    }
}
