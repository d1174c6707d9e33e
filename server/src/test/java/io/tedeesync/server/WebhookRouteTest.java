package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /webhooks/tedee/{secret}}: the secret, the body limits, and what a 2xx means. */
class WebhookRouteTest {
    @TempDir
    Path data;

    private ServiceHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void validWebhookIsAppliedAndStoredWithoutASyncCall() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
        harness.simulator.clearRequests();

        HttpResponse<String> response = harness.post("/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET,
                ServiceHarness.statusChange(harness.lockId("SRV-00002"), 2));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(harness.read(response).get("outcome").asText()).isEqualTo("applied");
        assertThat(harness.read(harness.get("/api/locks/SRV-00002")).get("state").asText()).isEqualTo("UNLOCKED");
        assertThat(harness.get("/api/events?serialNumber=SRV-00002").body()).contains("\"source\":\"WEBHOOK\"");
        assertThat(harness.simulator.requests()).as("no sync for a state the webhook carried").isEmpty();
    }

    @Test
    void wrongSecretIsANotFoundAndAppliesNothing() {
        harness = new ServiceHarness(data).startAndWaitForLocks();

        HttpResponse<String> wrong = harness.post("/webhooks/tedee/guess", ServiceHarness.statusChange(harness.lockId("SRV-00002"), 2));
        HttpResponse<String> missing = harness.post("/webhooks/tedee/", ServiceHarness.statusChange(harness.lockId("SRV-00002"), 2));

        assertThat(wrong.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(harness.read(harness.get("/api/locks/SRV-00002")).get("state").asText()).isEqualTo("LOCKED");
        assertThat(harness.get("/metrics").body()).contains("tedee_webhooks_rejected_total{reason=\"bad_secret\"}");
    }

    @Test
    void withoutAConfiguredSecretThereIsNoWebhookEndpoint() {
        harness = new ServiceHarness(data);
        harness.start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                null, null, true, s.retention()));

        assertThat(harness.post("/webhooks/tedee/anything", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedMalformedAndUnknownBodies() {
        harness = new ServiceHarness(data).startAndWaitForLocks();
        String path = "/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET;

        HttpResponse<String> huge = harness.post(path, "{\"event\":\"x\",\"pad\":\"" + "a".repeat(70_000) + "\"}");
        HttpResponse<String> malformed = harness.post(path, "{not json");
        HttpResponse<String> unknownType = harness.post(path, "{\"event\":\"door-sensor-moved\",\"data\":{\"deviceId\":" + harness.lockId("SRV-00001") + "}}");
        HttpResponse<String> unknownDevice = harness.post(path, ServiceHarness.statusChange(999_999, 6));

        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(harness.read(malformed).get("error").asText()).isEqualTo("malformed");
        assertThat(unknownType.statusCode()).isEqualTo(200);
        assertThat(harness.read(unknownType).get("outcome").asText()).isEqualTo("unknown_event");
        assertThat(unknownDevice.statusCode()).isEqualTo(200);
        assertThat(harness.read(unknownDevice).get("outcome").asText()).isEqualTo("unknown_device");
        assertThat(harness.get("/metrics").body()).contains("tedee_webhooks_unknown_event_types 1.0");
    }
}
