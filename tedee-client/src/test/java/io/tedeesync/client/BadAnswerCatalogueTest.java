package io.tedeesync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.TedeeSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad API answer and its documented outcome: a typed {@link TedeeException} for the
 * whole answer, or the bad entry skipped as unreadable with the others kept. Never another exception,
 * never a {@link StackOverflowError}. Canned bodies come from the stub server, the rest from the
 * simulator's faults.
 */
class BadAnswerCatalogueTest {
    private static final String KEY = "catalogue-personal-key-0b7e";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    /** Which call a case makes. */
    enum Call {
        GET_ALL("/api/v37/my/lock?", (client, id) -> client.getLockEntries()),
        SYNC_ALL("/api/v37/my/lock/sync", (client, id) -> client.syncLockEntries()),
        SYNC_SINGLE("/api/v37/my/lock/2/sync", TedeeClient::syncLock);

        final String path;
        /** The call, given the client and the id of the lock a single sync asks for. */
        final BiFunction<TedeeClient, Long, Object> call;

        Call(String path, BiFunction<TedeeClient, Long, Object> call) {
            this.path = path;
            this.call = call;
        }
    }

    /** What a case must end in. */
    record Expected(Class<? extends TedeeException> failure, Consumer<Object> check) {
        static Expected fails(Class<? extends TedeeException> type) {
            return new Expected(type, outcome -> { });
        }

        static Expected rateLimited(Duration wait, boolean given) {
            return new Expected(RateLimitedException.class, outcome -> {
                assertThat(((RateLimitedException) outcome).retryAfter()).isEqualTo(wait);
                assertThat(((RateLimitedException) outcome).retryAfterGiven()).isEqualTo(given);
            });
        }

        /** The answer is kept: {@code readable} entries, and one unreadable entry with that id whose reason names the field. */
        static Expected skips(int readable, Long unreadableId, String field) {
            return new Expected(null, outcome -> {
                Entries<?> entries = (Entries<?>) outcome;
                assertThat(entries.readable()).hasSize(readable);
                assertThat(entries.unreadable()).singleElement().satisfies(entry -> {
                    assertThat(entry.id()).isEqualTo(unreadableId);
                    assertThat(entry.reason()).contains(field).doesNotContain(KEY);
                });
            });
        }

        static Expected reads(Consumer<Entries<?>> check) {
            return new Expected(null, outcome -> check.accept((Entries<?>) outcome));
        }
    }

    /** A canned body for the stub server, or a simulator fault. */
    record Case(Call call, byte[] body, Fault fault, Expected expected) {
    }

    private static final String GOOD_1 = "{\"id\":1,\"serialNumber\":\"S-1\",\"isConnected\":true,\"revision\":2,"
            + "\"deviceState\":{\"state\":6,\"doorState\":3,\"lastStateChangedDate\":\"2026-02-27T10:00:00Z\"}}";
    private static final String GOOD_3 = "{\"id\":3,\"serialNumber\":\"S-3\",\"isConnected\":false,\"revision\":2,\"deviceState\":null}";

    private static String list(String middle) {
        return "{\"result\":[" + GOOD_1 + "," + middle + "," + GOOD_3 + "],\"success\":true,\"errorMessages\":[],\"statusCode\":200}";
    }

    private static String lock2(String fields) {
        return "{\"id\":2,\"serialNumber\":\"S-2\",\"isConnected\":true,\"revision\":2," + fields + "}";
    }

    private static String state(String fields) {
        return "\"deviceState\":{\"state\":6,\"doorState\":3,\"lastStateChangedDate\":\"2026-02-27T10:00:00Z\"," + fields + "}";
    }

    private static Arguments stub(String name, Call call, String body, Expected expected) {
        return stub(name, call, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static Arguments stub(String name, Call call, byte[] body, Expected expected) {
        return Arguments.of(name, new Case(call, body, null, expected));
    }

    private static Arguments simulated(String name, Call call, Fault fault, Expected expected) {
        return Arguments.of(name, new Case(call, null, fault, expected));
    }

    static Stream<Arguments> badAnswers() {
        byte[] notUtf8 = list(lock2("\"name\":\"K\u00fcche\"")).getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                stub("truncated JSON", Call.SYNC_ALL, "{\"result\":[{\"id\":1,\"isConn", Expected.fails(MalformedResponseException.class)),
                stub("truncated after a good element", Call.GET_ALL, "{\"result\":[" + GOOD_1 + ",{\"id\":2,",
                        Expected.fails(MalformedResponseException.class)),
                stub("isConnected: \"yes\"", Call.SYNC_ALL, list("{\"id\":2,\"isConnected\":\"yes\"}"), Expected.skips(2, 2L, "isConnected")),
                stub("id: \"abc\"", Call.SYNC_ALL, list("{\"id\":\"abc\",\"isConnected\":true}"), Expected.skips(2, null, "id")),
                stub("state: {}", Call.GET_ALL, list(lock2("\"deviceState\":{\"state\":{}}")), Expected.skips(2, 2L, "deviceState.state")),
                stub("name: an object", Call.GET_ALL, list(lock2("\"name\":{\"first\":\"x\"}")), Expected.skips(2, 2L, "name")),
                stub("id: 1e400", Call.SYNC_ALL, list("{\"id\":1e400,\"isConnected\":true}"), Expected.skips(2, null, "id")),
                stub("id: 99999999999999999999", Call.GET_ALL, list("{\"id\":99999999999999999999,\"serialNumber\":\"S-2\"}"),
                        Expected.skips(2, null, "id")),
                stub("id: 1.5", Call.SYNC_ALL, list("{\"id\":1.5,\"isConnected\":true}"), Expected.skips(2, null, "id")),
                stub("batteryLevel past int", Call.SYNC_ALL, list("{\"id\":2,\"isConnected\":true," + state("\"batteryLevel\":4294967296") + "}"),
                        Expected.skips(2, 2L, "deviceState.batteryLevel")),
                stub("a number of 2,000 digits", Call.SYNC_ALL, list("{\"id\":" + "9".repeat(2_000) + "}"),
                        Expected.fails(MalformedResponseException.class)),
                stub("state 77, door 42", Call.GET_ALL, list(lock2("\"deviceState\":{\"state\":77,\"doorState\":42}")),
                        Expected.reads(entries -> {
                            assertThat(entries.complete()).isTrue();
                            Lock odd = (Lock) entries.readable().get(1);
                            assertThat(odd.deviceState().stateCode()).isEqualTo(77);
                            assertThat(odd.deviceState().state()).isEqualTo(LockState.UNKNOWN);
                            assertThat(odd.deviceState().doorStateCode()).isEqualTo(42);
                            assertThat(odd.deviceState().doorState()).isEqualTo(DoorState.UNKNOWN);
                        })),
                stub("February 30", Call.SYNC_ALL, list("{\"id\":2,\"isConnected\":true,"
                        + "\"deviceState\":{\"state\":6,\"lastStateChangedDate\":\"2026-02-30T10:00:00Z\"}}"),
                        Expected.skips(2, 2L, "deviceState.lastStateChangedDate")),
                stub("April 31", Call.GET_ALL, list(lock2("\"deviceState\":{\"state\":6,\"lastStateChangedDate\":\"2030-04-31T10:00:00Z\"}")),
                        Expected.skips(2, 2L, "2030-04-31")),
                stub("February 29 of 2027, old generation", Call.SYNC_ALL, list("{\"id\":2,\"isConnected\":true,"
                        + "\"lockProperties\":{\"state\":6,\"lastStateChangedDate\":\"2027-02-29T10:00:00\"}}"),
                        Expected.skips(2, 2L, "lockProperties.lastStateChangedDate")),
                stub("a duplicate key in an element", Call.SYNC_ALL, list("{\"id\":2,\"isConnected\":true,\"isConnected\":false}"),
                        Expected.skips(2, 2L, "isConnected")),
                stub("a duplicate result", Call.SYNC_ALL, "{\"result\":[],\"result\":[" + GOOD_1 + "],\"success\":true}",
                        Expected.fails(MalformedResponseException.class)),
                stub("10,000 [", Call.SYNC_ALL, "[".repeat(10_000), Expected.fails(MalformedResponseException.class)),
                stub("10,000 [ inside an element", Call.GET_ALL, list(lock2("\"deep\":" + "[".repeat(10_000) + "]".repeat(10_000))),
                        Expected.fails(MalformedResponseException.class)),
                stub("10,000 [ as the result", Call.SYNC_ALL, "{\"result\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                        Expected.fails(MalformedResponseException.class)),
                stub("Latin-1 bytes in a name", Call.GET_ALL, notUtf8, Expected.fails(MalformedResponseException.class)),
                stub("empty body", Call.SYNC_ALL, "", Expected.fails(MalformedResponseException.class)),
                stub("an HTML page with 200", Call.GET_ALL, "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>",
                        Expected.fails(MalformedResponseException.class)),
                stub("a result that is not a list", Call.SYNC_ALL, "{\"result\":{\"id\":1},\"success\":true}",
                        Expected.fails(MalformedResponseException.class)),
                stub("success: \"yes\"", Call.SYNC_ALL, "{\"result\":[],\"success\":\"yes\"}", Expected.fails(MalformedResponseException.class)),
                stub("a JSON array instead of the envelope", Call.SYNC_ALL, "[" + GOOD_1 + "]", Expected.fails(MalformedResponseException.class)),
                stub("sync single dated February 30", Call.SYNC_SINGLE, "{\"result\":{\"id\":2,\"isConnected\":true,"
                        + "\"deviceState\":{\"state\":6,\"lastStateChangedDate\":\"2026-02-30T10:00:00Z\"}},\"success\":true}",
                        Expected.fails(MalformedResponseException.class)),
                stub("sync single with isConnected: \"yes\"", Call.SYNC_SINGLE, "{\"result\":{\"id\":2,\"isConnected\":\"yes\"},\"success\":true}",
                        Expected.fails(MalformedResponseException.class)),
                stub("sync single nested 10,000 deep", Call.SYNC_SINGLE, "{\"result\":" + "[".repeat(10_000),
                        Expected.fails(MalformedResponseException.class)),
                simulated("simulator: February 30 in lock 1001's sync", Call.SYNC_ALL,
                        Fault.badElement(Fault.Defect.IMPOSSIBLE_DATE, 1001), Expected.skips(2, 1001L, "lastStateChangedDate")),
                simulated("simulator: isConnected \"yes\" in get-all", Call.GET_ALL,
                        Fault.badElement(Fault.Defect.WRONG_TYPE), Expected.skips(2, 1000L, "isConnected")),
                simulated("simulator: truncated body", Call.GET_ALL, Fault.malformedBody(), Expected.fails(MalformedResponseException.class)),
                simulated("simulator: Retry-After 0", Call.SYNC_ALL, Fault.rateLimitedRetryAfter("0"),
                        Expected.rateLimited(Duration.ZERO, true)),
                simulated("simulator: Retry-After -5", Call.SYNC_ALL, Fault.rateLimitedRetryAfter("-5"),
                        Expected.rateLimited(Duration.ofSeconds(60), false)),
                simulated("simulator: Retry-After soon", Call.SYNC_ALL, Fault.rateLimitedRetryAfter("soon"),
                        Expected.rateLimited(Duration.ofSeconds(60), false)),
                simulated("simulator: Retry-After a past date", Call.SYNC_ALL, Fault.rateLimitedRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"),
                        Expected.rateLimited(Duration.ZERO, true)),
                simulated("simulator: Retry-After in 20 digits", Call.SYNC_ALL, Fault.rateLimitedRetryAfter("99999999999999999999"),
                        Expected.rateLimited(Duration.ofDays(1), true)),
                simulated("simulator: no Retry-After", Call.SYNC_SINGLE, Fault.rateLimitedWithoutRetryAfter(),
                        Expected.rateLimited(Duration.ofSeconds(60), false)));
    }

    private final TestClock clock = new TestClock(NOW);
    private StubServer server;
    private TedeeSimulator simulator;

    @BeforeEach
    void start() {
        server = new StubServer();
        simulator = TedeeSimulator.builder().clock(clock).build();
        simulator.addAccount("home", KEY);
        for (int i = 1; i <= 3; i++) {
            simulator.addLock("home", "400000-0000" + i, "Door " + i);
        }
        simulator.start(0);
    }

    @AfterEach
    void stop() {
        server.close();
        simulator.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void everyBadAnswerHasItsDocumentedOutcome(String name, Case badAnswer) {
        TedeeClient client;
        if (badAnswer.fault() != null) {
            simulator.injectFault(badAnswer.fault(), 1);
            client = TedeeClient.builder().baseUrl(simulator.baseUrl()).personalKey(KEY).clock(clock).build();
        } else {
            server.on(badAnswer.call().path, StubServer.Answer.bytes(200, badAnswer.body()));
            client = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).clock(clock).build();
        }
        long singleSyncId = badAnswer.fault() != null ? 1001 : 2;
        Object outcome;
        try {
            outcome = badAnswer.call().call.apply(client, singleSyncId);
        } catch (Throwable thrown) { // StackOverflowError included: it must fail the case, not the run
            outcome = thrown;
        }

        Expected expected = badAnswer.expected();
        if (expected.failure() != null) {
            assertThat(outcome).as("outcome").isExactlyInstanceOf(expected.failure());
            assertThat(((Throwable) outcome).getMessage()).doesNotContain(KEY);
        } else if (outcome instanceof Throwable thrown) {
            fail("expected the answer to be kept, but it threw", thrown);
        }
        expected.check().accept(outcome);
        assertThat(server.seen().size() + simulator.requests().size()).as("one request").isEqualTo(1);
    }
}
