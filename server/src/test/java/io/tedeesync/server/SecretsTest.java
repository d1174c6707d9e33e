package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** After a run through every path, no personal key, API token or webhook secret is in any log line or response. */
class SecretsTest {
    private static final String TOKEN = "api-token-secret-31c7";

    @TempDir
    Path data;

    @Test
    void noSecretInLogsOrResponses() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = context.getLogger("io.tedeesync");
        Level rootLevel = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.DEBUG);
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (ServiceHarness harness = new ServiceHarness(data)) {
            harness.start(s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), 0, s.dataDir(), null, null, null,
                    s.webhookSecret(), TOKEN, false, s.retention()));
            String auth = "Bearer " + TOKEN;
            org.awaitility.Awaitility.await().until(() -> harness.get("/api/locks", "Authorization", auth).body().contains("SRV-00003"));
            String hook = "/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET;
            responses.add(harness.get("/api/locks", "Authorization", auth));
            responses.add(harness.get("/api/locks"));
            responses.add(harness.get("/api/locks", "Authorization", "Bearer " + TOKEN + "x"));
            responses.add(harness.post("/api/locks/SRV-00001/sync", "", "Authorization", auth));
            responses.add(harness.post("/api/locks/SRV-00001/operations/unlock", "", "Authorization", auth));
            responses.add(harness.post("/api/locks/SRV-00002/operations/lock", "", "Authorization", auth));
            responses.add(harness.post(hook, "{\"event\":\"device-battery-level-changed\",\"data\":{\"deviceId\":"
                    + harness.lockId("SRV-00002") + ",\"batteryLevel\":40}}"));
            responses.add(harness.post(hook, "{broken"));
            responses.add(harness.post("/webhooks/tedee/" + ServiceHarness.WEBHOOK_SECRET + "x", "{}"));
            responses.add(harness.get("/api/events?limit=1000", "Authorization", auth));
            responses.add(harness.get("/health"));
            responses.add(harness.get("/metrics"));
            harness.simulator.revokeKey("home");
            harness.simulator.injectFault(io.tedeesync.simulator.Fault.serverError(503), 1);
            // Operations go out at once (syncs wait for the floor, and webhooks just slowed polling down):
            // the first meets the 503, the second the refused key.
            responses.add(harness.post("/api/locks/SRV-00001/operations/lock", "", "Authorization", auth));
            responses.add(harness.post("/api/locks/SRV-00001/operations/lock", "", "Authorization", auth));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> harness.get("/health").body().contains("failed"));
            responses.add(harness.get("/health"));
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
            ours.setLevel(null);
        }

        List<String> texts = new ArrayList<>();
        captured.list.forEach(event -> {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(event.getThrowableProxy().getMessage());
            }
        });
        responses.forEach(response -> {
            texts.add(response.body());
            texts.add(response.headers().map().toString());
        });
        assertThat(captured.list).as("the run logged something").isNotEmpty();
        for (String secret : List.of(ServiceHarness.KEY, ServiceHarness.WEBHOOK_SECRET, TOKEN)) {
            assertThat(texts).as("secret %s", secret.substring(0, 6)).noneMatch(text -> text != null && text.contains(secret));
        }
    }
}
