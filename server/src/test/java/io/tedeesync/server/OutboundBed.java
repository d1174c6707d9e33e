package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.outbound.OutboundSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The service against the simulator with the admin token (so outbound webhooks are on), real receivers on
 * loopback (hence private targets allowed unless a test says otherwise), a retry schedule short enough to
 * run through in a test, and helpers to make lock changes and manage endpoints over the real API.
 */
final class OutboundBed implements AutoCloseable {
    static final String ADMIN = "admin-token-outbound-51c2";
    static final String READ = "read-token-outbound-0b7e";
    static final String SECRET_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String[] AS_ADMIN = {"Authorization", "Bearer " + ADMIN};
    static final List<Duration> SHORT_SCHEDULE = List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(100));
    static final OutboundSettings FAST = OutboundSettings.DEFAULTS.withAllowPrivateTargets(true).withRetrySchedule(SHORT_SCHEDULE);

    final ServiceHarness harness;
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private Instant lastChange = Instant.now();

    OutboundBed(Path data) {
        harness = new ServiceHarness(data);
    }

    /** Starts with {@code outbound} and the admin token, then waits for the locks. */
    OutboundBed start(OutboundSettings outbound) {
        return start(outbound, s -> s);
    }

    OutboundBed start(OutboundSettings outbound, UnaryOperator<ServiceSettings> tweak) {
        harness.start(s -> tweak.apply(s.withRuntimeAccounts(harness.runtimeAccounts(ADMIN, SECRET_KEY, null)).withOutbound(outbound)));
        await().atMost(Duration.ofSeconds(15)).until(() -> harness.get("/api/locks", AS_ADMIN).body().contains("SRV-00003"));
        return this;
    }

    WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        return receiver;
    }

    /** Creates an endpoint for {@code url}; its JSON (with the one-time {@code secret}). */
    JsonNode create(String url) {
        HttpResponse<String> created = harness.post("/api/webhook-endpoints", "{\"url\":\"" + url + "\"}", AS_ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return harness.read(created);
    }

    JsonNode endpoint(String id) {
        return harness.read(harness.get("/api/webhook-endpoints/" + id, AS_ADMIN));
    }

    JsonNode deliveries(String id) {
        return harness.read(harness.get("/api/webhook-endpoints/" + id + "/deliveries", AS_ADMIN));
    }

    /**
     * The lock turns to {@code state} (the simulator too, so that a sync agrees), told by a Tedee webhook; one
     * {@code StateChanged} event. Returns its event id.
     */
    long change(String serial, int state) {
        harness.simulator.setLockState(serial, state);
        Instant at = Instant.now();
        if (!at.isAfter(lastChange.plusMillis(1))) {
            at = lastChange.plusMillis(2); // each change strictly after the one before, to the millisecond
        }
        lastChange = at;
        HttpResponse<String> answer = harness.post("/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET, "{\"event\":\"lock-status-changed\","
                + "\"timestamp\":\"" + at + "\",\"userIdentity\":\"u-1\",\"data\":{\"deviceId\":" + harness.lockId(serial)
                + ",\"deviceType\":2,\"doorState\":0,\"eventTime\":\"" + at + "\",\"state\":" + state + "}}");
        assertThat(harness.read(answer).path("outcome").asText()).as(answer.body()).isEqualTo("applied");
        JsonNode events = harness.read(harness.get("/api/events?serialNumber=" + serial + "&limit=1000", AS_ADMIN));
        return events.get(events.size() - 1).path("id").asLong();
    }

    @Override
    public void close() {
        harness.close();
        receivers.forEach(WebhookReceiver::close);
    }
}
