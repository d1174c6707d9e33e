package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tedeesync.simulator.TedeeSimulator;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocksCommandTest {
    private static final String KEY = "cli-test-key-8d1f";

    private TedeeSimulator simulator;
    private String url;

    @BeforeEach
    void start() {
        simulator = TedeeSimulator.builder().seed(7).build();
        simulator.addAccount("home", KEY);
        simulator.addLock("home", "220101-00001", "Front door");
        simulator.addLock("home", "220101-00002", "Garage");
        simulator.setLockState("220101-00001", 6);
        simulator.setLockState("220101-00002", 255);
        simulator.start(0);
        url = simulator.baseUrl().toString();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void printsATableOfAllLocks() {
        CommandRun run = CommandRun.of("locks", "--api-url", url, "--personal-key", KEY);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("SERIAL", "STATE", "220101-00001", "Front door", "LOCKED", "Garage", "UNKNOWN (255)", "2 locks");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsJsonViewsWithTheDocumentedFields() throws Exception {
        simulator.disconnect("220101-00002");

        CommandRun run = CommandRun.of("locks", "--api-url", url, "--personal-key", KEY, "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode locks = new ObjectMapper().readTree(run.out());
        assertThat(locks).hasSize(2);
        JsonNode front = locks.get(0);
        assertThat(front.fieldNames()).toIterable().contains("serialNumber", "id", "name", "type", "state", "stateCode",
                "doorState", "batteryLevel", "isCharging", "isConnected", "revision", "lastStateChangedDate");
        assertThat(front.get("serialNumber").asText()).isEqualTo("220101-00001");
        assertThat(front.get("state").asText()).isEqualTo("LOCKED");
        assertThat(front.get("stateCode").asInt()).isEqualTo(6);
        assertThat(front.get("isConnected").asBoolean()).isTrue();
        assertThat(front.get("lastStateChangedDate").asText()).endsWith("Z");
        JsonNode garage = locks.get(1);
        assertThat(garage.get("isConnected").asBoolean()).isFalse();
        assertThat(garage.get("state").isNull()).as("a disconnected lock has no current state").isTrue();
    }

    @Test
    void readsTheKeyFromTheEnvironment() {
        CommandRun run = CommandRun.of(Map.of("TEDEE_PERSONAL_KEY", KEY), "locks", "--api-url", url);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Front door");
    }

    @Test
    void wrongKeyEndsWithOneClearLineWithoutTheKey() {
        CommandRun run = CommandRun.of("locks", "--api-url", url, "--personal-key", "wrong-key-c0ffee");

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_AUTHENTICATION);
        assertThat(run.err().lines()).singleElement().asString().contains("refused the credentials");
        assertThat(run.err() + run.out()).doesNotContain("wrong-key-c0ffee").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unreachableApiEndsWithOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CommandRun run = CommandRun.of("locks", "--api-url", "http://127.0.0.1:" + closedPort, "--personal-key", KEY, "--timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_UNREACHABLE);
        assertThat(run.err().lines()).singleElement().asString().contains("could not reach the API");
        assertThat(run.err()).doesNotContain(KEY).doesNotContain("\tat ");
    }

    @Test
    void badFlagsEndWithOneClearLine() {
        CommandRun unknown = CommandRun.of("locks", "--frobnicate");
        CommandRun badUrl = CommandRun.of("locks", "--api-url", "not a url", "--personal-key", KEY);
        CommandRun badVersion = CommandRun.of("locks", "--api-url", url, "--api-version", "37", "--personal-key", KEY);
        CommandRun badTimeout = CommandRun.of("locks", "--timeout", "soon", "--personal-key", KEY);

        for (CommandRun run : new CommandRun[] {unknown, badUrl, badVersion, badTimeout}) {
            assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
            assertThat(run.err().lines()).singleElement().asString().startsWith("tedee-sync: ");
            assertThat(run.err()).doesNotContain(KEY);
        }
        assertThat(unknown.err()).contains("--frobnicate");
        assertThat(badTimeout.err()).contains("not a duration");
    }

    @Test
    void missingCredentialsSayHowToGiveThem() {
        CommandRun run = CommandRun.of("locks", "--api-url", url);

        assertThat(run.exitCode()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--personal-key").contains("TEDEE_PERSONAL_KEY");
    }

    @Test
    void olderApiVersionsWork() {
        CommandRun run = CommandRun.of("locks", "--api-url", url, "--api-version", "v1.33", "--personal-key", KEY, "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"state\" : \"LOCKED\"");
    }
}
