package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --api-token} and {@code --allow-unauthenticated-operations}. */
class ApiTokenTest {
    private static final String TOKEN = "api-token-0d9c";

    @TempDir
    Path data;

    private ServiceHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void withATokenEveryApiCallNeedsIt() {
        harness = new ServiceHarness(data);
        harness.start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                s.webhookSecret(), TOKEN, false, s.retention()));

        assertThat(harness.get("/api/locks").statusCode()).isEqualTo(401);
        assertThat(harness.get("/api/locks", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(harness.post("/api/locks/SRV-00001/operations/unlock", "").statusCode()).isEqualTo(401);
        assertThat(harness.get("/api/locks", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(harness.read(harness.get("/api/locks")).get("error").asText()).isEqualTo("unauthorized");
        assertThat(harness.get("/health").statusCode()).as("health stays open for probes").isEqualTo(200);
    }

    @Test
    void withoutATokenOperationsAreRefusedUnlessExplicitlyAllowed() {
        harness = new ServiceHarness(data);
        harness.start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                s.webhookSecret(), null, false, s.retention()));

        var refused = harness.post("/api/locks/SRV-00001/operations/unlock", "");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(harness.read(refused).get("message").asText()).contains("--api-token");
        assertThat(harness.simulator.requests()).noneMatch(r -> r.method().equals("POST"));
    }
}
