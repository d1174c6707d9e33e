package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The check the suite's answers go through can fail: a body that breaks the schema, a status or a content type the
 * document does not describe, a body where none is described, are each refused with a message that says what is
 * wrong; and what conforms passes.
 */
class ApiContractTest {
    private static final Optional<String> JSON = Optional.of("application/json");
    private static final String LOCK = "{\"serialNumber\":\"SN-1\",\"id\":7,\"name\":\"Front\",\"type\":\"LOCK_PRO\",\"state\":\"LOCKED\","
            + "\"stateCode\":6,\"isConnected\":true,\"revision\":1,\"syncedAt\":\"2026-12-01T10:00:00Z\",\"stale\":false}";

    private final ApiContract contract = ApiContract.shared();

    private List<String> lockProblems(String body) {
        return contract.problems("GET", "/api/locks/SN-1", 200, JSON, body);
    }

    @Test
    void aConformingLockViewPasses() {
        assertThat(lockProblems(LOCK)).isEmpty();
        assertThat(contract.problems("GET", "/api/locks", 200, JSON, "[" + LOCK + "]")).isEmpty();
    }

    @Test
    void aLockViewWithoutItsSerialNumberIsRefused() {
        List<String> problems = lockProblems(LOCK.replace("\"serialNumber\":\"SN-1\",", ""));

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("serialNumber"));
        assertThat(contract.problems("GET", "/api/locks", 200, JSON, "[" + LOCK.replace("\"serialNumber\":\"SN-1\",", "") + "]"))
                .isNotEmpty();
    }

    @Test
    void aWrongTypeAnUnknownStateAFieldNotDescribedAndABadTimeAreEachRefused() {
        assertThat(lockProblems(LOCK.replace("\"id\":7", "\"id\":\"7\""))).anySatisfy(p -> assertThat(p).contains("id"));
        assertThat(lockProblems(LOCK.replace("\"LOCKED\"", "\"AJAR\""))).anySatisfy(p -> assertThat(p).contains("state"));
        assertThat(lockProblems(LOCK.replace("{", "{\"colour\":\"red\","))).anySatisfy(p -> assertThat(p).contains("colour"));
        assertThat(lockProblems(LOCK.replace("2026-12-01T10:00:00Z", "yesterday"))).anySatisfy(p -> assertThat(p).contains("syncedAt"));
        assertThat(lockProblems("not json")).isNotEmpty();
    }

    @Test
    void aNullWhereTheServiceLeavesAFieldOutIsRefusedAndANullWhereTheDocumentAllowsOneIsNot() {
        assertThat(lockProblems(LOCK.replace("\"stateCode\":6", "\"stateCode\":null"))).isNotEmpty();
        String event = "{\"id\":3,\"type\":\"StateChanged\",\"account\":\"home\",\"serialNumber\":\"SN-1\",\"lockId\":7,"
                + "\"occurredAt\":\"2026-12-01T10:00:00Z\",\"observedAt\":\"2026-12-01T10:00:01Z\",\"source\":\"SYNC\","
                + "\"from\":null,\"fromCode\":null,\"to\":\"LOCKED\",\"toCode\":6}";

        assertThat(contract.problems("GET", "/api/events", 200, JSON, "[" + event + "]")).isEmpty();
        assertThat(contract.problems("GET", "/api/events", 200, JSON, "[" + event.replace("\"toCode\":6", "\"toCode\":null") + "]"))
                .isNotEmpty();
        assertThat(contract.problems("GET", "/api/events", 200, JSON, "[" + event.replace("\"lockId\":7", "\"lockId\":null") + "]"))
                .as("a lock event has a lock id").isNotEmpty();
    }

    @Test
    void anUndescribedStatusOrContentTypeOrABodyWhereNoneIsDescribedIsRefused() {
        assertThat(contract.problems("GET", "/api/locks/SN-1", 418, JSON, "{}")).singleElement()
                .satisfies(p -> assertThat(p).contains("status 418 is not described"));
        assertThat(contract.problems("GET", "/api/locks/SN-1", 200, Optional.of("text/html"), "<p>")).singleElement()
                .satisfies(p -> assertThat(p).contains("content type 'text/html' is not described"));
        assertThat(contract.problems("DELETE", "/api/accounts/home", 204, Optional.empty(), "")).isEmpty();
        assertThat(contract.problems("DELETE", "/api/accounts/home", 204, JSON, "{}")).singleElement()
                .satisfies(p -> assertThat(p).contains("without a body"));
    }

    @Test
    void errorsAreHeldToTheErrorSchema() {
        assertThat(contract.problems("GET", "/api/locks/SN-1", 404, JSON, "{\"error\":\"not_found\",\"message\":\"no lock\"}")).isEmpty();
        assertThat(contract.problems("GET", "/api/locks/SN-1", 404, JSON, "{\"error\":\"not_found\"}")).isNotEmpty();
        assertThat(contract.problems("GET", "/api/locks/SN-1", 401, JSON, "{\"message\":\"no\"}")).as("a $ref'd response").isNotEmpty();
    }

    @Test
    void theRequestPathPicksTheOperationLiteralSegmentsFirstAndPathsNotDescribedAreLeftAlone() {
        assertThat(contract.operation("POST", "/api/locks/SN-1/sync").orElseThrow().template()).isEqualTo("/api/locks/{serialNumber}/sync");
        assertThat(contract.operation("GET", "/api/locks/SN-1").orElseThrow().template()).isEqualTo("/api/locks/{serialNumber}");
        assertThat(contract.operation("GET", "/api/locks").orElseThrow().template()).isEqualTo("/api/locks");
        assertThat(contract.operation("GET", "/health").orElseThrow().template()).isEqualTo("/health");
        assertThat(contract.operation("GET", "/app.js").orElseThrow().template()).isEqualTo("/{file}");
        assertThat(contract.operation("GET", "/").orElseThrow().template()).isEqualTo("/");
        assertThat(contract.describes("/api/v37/my/lock")).isFalse();
        assertThat(contract.problems("GET", "/oauth2/v2.0/authorize", 200, Optional.of("text/html"), "<p>")).isEmpty();
        assertThat(contract.problems("PUT", "/api/locks", 200, JSON, "[]")).singleElement()
                .satisfies(p -> assertThat(p).contains("is not described"));
    }

    @Test
    void aFailedCheckNamesTheMethodThePathTheStatusAndWhatIsWrong() {
        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> contract.check("GET",
                "/api/locks/SN-1", new FakeAnswer(200, LOCK.replace("\"serialNumber\":\"SN-1\",", ""))));

        assertThat(failure.getMessage()).contains("GET /api/locks/SN-1 (200)").contains("serialNumber").contains("\"name\":\"Front\"");
    }

    /** An answer as the HTTP client gives it, for the message test. */
    private record FakeAnswer(int statusCode, String body) implements java.net.http.HttpResponse<String> {
        @Override
        public java.net.http.HttpRequest request() {
            return null;
        }

        @Override
        public Optional<java.net.http.HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(java.util.Map.of("Content-Type", List.of("application/json")), (a, b) -> true);
        }

        @Override
        public Optional<javax.net.ssl.SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return java.net.URI.create("http://127.0.0.1/api/locks/SN-1");
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return java.net.http.HttpClient.Version.HTTP_1_1;
        }
    }
}
