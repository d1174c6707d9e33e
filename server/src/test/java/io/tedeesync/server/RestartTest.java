package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.Credentials;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart serves the last known state at once, stale until a sync succeeds, and replays no event. */
class RestartTest {
    @TempDir
    Path data;

    @Test
    void restartWithTheApiUnreachableServesTheStoredStateAsStale() throws Exception {
        int eventsBefore;
        try (ServiceHarness harness = new ServiceHarness(data).startAndWaitForLocks()) {
            harness.simulator.setLockState("SRV-00001", 2);
            harness.post("/api/locks/SRV-00001/sync", "");
            eventsBefore = harness.read(harness.get("/api/events?limit=1000")).size();
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ServiceHarness restarted = new ServiceHarness(data)) {
            restarted.start(s -> new ServiceSettings(List.of(new AccountSpec("home", URI.create("http://127.0.0.1:" + closedPort), "v37",
                    Credentials.personalKey(ServiceHarness.KEY), null, null)), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                    s.webhookSecret(), null, true, s.retention()));

            JsonNode locks = restarted.read(restarted.get("/api/locks"));

            assertThat(locks).hasSize(3);
            assertThat(locks).allSatisfy(lock -> assertThat(lock.get("stale").asBoolean()).isTrue());
            assertThat(restarted.read(restarted.get("/api/locks/SRV-00001")).get("state").asText()).isEqualTo("UNLOCKED");
            JsonNode events = restarted.read(restarted.get("/api/events?limit=1000"));
            for (int i = eventsBefore; i < events.size(); i++) {
                assertThat(events.get(i).get("type").asText()).as("only news after a restart, no replay").startsWith("Account");
            }
        }
    }
}
