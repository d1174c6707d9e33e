package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.outbound.OutboundSettings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code /api/webhook-endpoints} over real HTTP: access, bad input, SSRF refusals, and no secret anywhere but the one answer. */
class WebhookEndpointsApiTest {
    private static final String ENDPOINTS = "/api/webhook-endpoints";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;
    OutboundBed bed;

    @BeforeEach
    void bed() {
        bed = new OutboundBed(data);
    }

    @AfterEach
    void close() {
        bed.close();
    }

    private HttpResponse<String> post(String path, String body) {
        return bed.harness.post(path, body, OutboundBed.AS_ADMIN);
    }

    private String error(HttpResponse<String> response) {
        return bed.harness.read(response).path("error").asText();
    }

    private String message(HttpResponse<String> response) {
        return bed.harness.read(response).path("message").asText();
    }

    @Test
    void withoutAnAdminTokenTheRoutesAre403() {
        bed.harness.start(s -> s);

        HttpResponse<String> list = bed.harness.get(ENDPOINTS);
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(error(list)).isEqualTo("webhooks_api_off");
        assertThat(message(list)).contains("--admin-token");
        assertThat(bed.harness.post(ENDPOINTS, "{\"url\":\"https://example.com/\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void theAdminTokenManagesTheApiTokenReadsAndNoTokenIsRefused() {
        bed.start(OutboundBed.FAST, s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), s.port(), s.dataDir(), null, null, null,
                s.webhookSecret(), OutboundBed.READ, false, s.retention(), false, s.runtimeAccounts(), null, s.outbound(), null));
        String[] asReader = {"Authorization", "Bearer " + OutboundBed.READ};
        String url = bed.receiver().url("/hooks");

        assertThat(bed.harness.get(ENDPOINTS).statusCode()).isEqualTo(401);
        assertThat(bed.harness.post(ENDPOINTS, "{\"url\":\"" + url + "\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> byReader = bed.harness.post(ENDPOINTS, "{\"url\":\"" + url + "\"}", asReader);
        assertThat(byReader.statusCode()).isEqualTo(403);
        assertThat(message(byReader)).contains("webhook endpoints");
        String id = bed.create(url).path("id").asText();
        assertThat(id).matches("ep_[0-9a-f]{16}");
        assertThat(bed.harness.get(ENDPOINTS, asReader).statusCode()).isEqualTo(200);
        assertThat(bed.harness.get(ENDPOINTS + "/" + id + "/deliveries", asReader).statusCode()).isEqualTo(200);
        assertThat(bed.harness.delete(ENDPOINTS + "/" + id, asReader).statusCode()).isEqualTo(403);
        assertThat(bed.harness.post(ENDPOINTS + "/" + id + "/rotate-secret", "", asReader).statusCode()).isEqualTo(403);
        assertThat(bed.harness.delete(ENDPOINTS + "/" + id, OutboundBed.AS_ADMIN).statusCode()).isEqualTo(204);
        assertThat(bed.harness.get(ENDPOINTS + "/" + id, OutboundBed.AS_ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void loopbackPrivateAndMetadataTargetsAreRefusedWithTheReason() {
        bed.start(OutboundSettings.DEFAULTS);
        Map<String, String> refused = Map.of(
                "http://127.0.0.1:8080/hooks", "loopback",
                "http://localhost/hooks", "loopback",
                "http://10.1.2.3/hooks", "private network",
                "http://192.168.1.20/hooks", "private network",
                "http://[::1]:9000/hooks", "loopback",
                "http://169.254.169.254/latest/meta-data", "link-local",
                "http://100.64.0.1/", "shared address",
                "http://0.0.0.0/", "any-local");
        refused.forEach((url, kind) -> {
            HttpResponse<String> answer = post(ENDPOINTS, "{\"url\":\"" + url + "\"}");
            assertThat(answer.statusCode()).as(url).isEqualTo(400);
            assertThat(error(answer)).isEqualTo("target_not_allowed");
            assertThat(message(answer)).as(url).contains(kind).contains("--allow-private-webhook-targets");
        });
        assertThat(bed.harness.read(bed.harness.get(ENDPOINTS, OutboundBed.AS_ADMIN))).isEmpty();
        assertThat(post(ENDPOINTS, "{\"url\":\"https://93.184.215.14/hooks\"}").statusCode()).as("a public address").isEqualTo(201);
    }

    @Test
    void withTheFlagPrivateTargetsAreAllowed() {
        bed.start(OutboundSettings.DEFAULTS.withAllowPrivateTargets(true));

        assertThat(post(ENDPOINTS, "{\"url\":\"http://127.0.0.1:8080/hooks\"}").statusCode()).isEqualTo(201);
        assertThat(post(ENDPOINTS, "{\"url\":\"http://169.254.169.254/\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void aTargetAllowedOnceIsCheckedAgainBeforeEachAttempt() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        String id = bed.create(receiver.url("/hooks")).path("id").asText();
        bed.harness.stopService();

        bed.start(OutboundBed.FAST.withAllowPrivateTargets(false));
        bed.change("SRV-00001", 2);

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode delivery = bed.deliveries(id).get(0);
            assertThat(delivery.path("attempts").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(delivery.path("lastError").asText()).contains("refused").contains("loopback");
        });
        assertThat(receiver.received()).isEmpty();
        HttpResponse<String> patch = bed.harness.patch(ENDPOINTS + "/" + id, "{\"url\":\"" + receiver.url("/other") + "\"}", OutboundBed.AS_ADMIN);
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(error(patch)).isEqualTo("target_not_allowed");
    }

    @Test
    void badInputIsA400WithTheReason() {
        bed.start(OutboundBed.FAST);
        String good = bed.receiver().url("/hooks");
        String id = bed.create(good).path("id").asText();
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{broken", "not JSON");
        bodies.put("[]", "JSON object");
        bodies.put("{}", "url is required");
        bodies.put("{\"url\":\"" + good + "\",\"secret\":\"x\"}", "unknown field 'secret'");
        bodies.put("{\"url\":\"ftp://example.com/\"}", "http:// or https://");
        bodies.put("{\"url\":\"http://user:pw@example.com/\"}", "user or password");
        bodies.put("{\"url\":\"http://example.com/#x\"}", "fragment");
        bodies.put("{\"url\":42}", "url must be a string");
        bodies.put("{\"url\":\"" + good + "\",\"eventTypes\":\"StateChanged\"}", "list of strings");
        bodies.put("{\"url\":\"" + good + "\",\"eventTypes\":[\"Opened\"]}", "unknown type 'Opened'");
        bodies.put("{\"url\":\"" + good + "\",\"eventTypes\":[]}", "at least one");
        bodies.put("{\"url\":\"" + good + "\",\"accounts\":[\" \"]}", "must not be blank");
        bodies.put("{\"url\":\"" + good + "\",\"description\":\"" + "d".repeat(501) + "\"}", "longer than 500");
        bodies.forEach((body, reason) -> {
            HttpResponse<String> answer = post(ENDPOINTS, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(error(answer)).isEqualTo("invalid_webhook_endpoint");
            assertThat(message(answer)).as(body).contains(reason);
        });
        assertThat(message(bed.harness.patch(ENDPOINTS + "/" + id, "{}", OutboundBed.AS_ADMIN))).contains("nothing to change");
        assertThat(message(bed.harness.patch(ENDPOINTS + "/" + id, "{\"enabled\":\"yes\"}", OutboundBed.AS_ADMIN))).contains("true or false");
        assertThat(bed.harness.get(ENDPOINTS + "/" + id + "/deliveries?limit=0", OutboundBed.AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(bed.harness.get(ENDPOINTS + "/" + id + "/deliveries?before=x", OutboundBed.AS_ADMIN).statusCode()).isEqualTo(400);
        assertThat(post(ENDPOINTS + "/" + id + "/deliveries/abc/retry", "").statusCode()).isEqualTo(400);
        assertThat(post(ENDPOINTS + "/" + id + "/deliveries/999999/retry", "").statusCode()).isEqualTo(404);
        assertThat(bed.harness.get(ENDPOINTS + "/ep_nope", OutboundBed.AS_ADMIN).statusCode()).isEqualTo(404);
        assertThat(bed.harness.read(bed.harness.get(ENDPOINTS, OutboundBed.AS_ADMIN))).as("only the good one").hasSize(1);
    }

    @Test
    void filtersChangesAndAManualRetry() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        HttpResponse<String> created = post(ENDPOINTS, "{\"url\":\"" + receiver.url("/hooks") + "\",\"eventTypes\":[\"StateChanged\"],"
                + "\"accounts\":[\"elsewhere\"],\"description\":\"back office\"}");
        JsonNode endpoint = bed.harness.read(created);
        String id = endpoint.path("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(ENDPOINTS + "/" + id);
        assertThat(endpoint.path("eventTypes")).extracting(JsonNode::asText).containsExactly("StateChanged");
        assertThat(endpoint.path("description").asText()).isEqualTo("back office");

        WebhookReceiver everything = bed.receiver();
        bed.create(everything.url("/all")); // created after: each round serves the filtered endpoint first
        long skipped = bed.change("SRV-00001", 2); // of account home: not for the filtered endpoint
        await().atMost(PATIENCE).until(() -> everything.delivered().size() == 1);
        HttpResponse<String> patched = bed.harness.patch(ENDPOINTS + "/" + id, "{\"accounts\":null,\"description\":null}", OutboundBed.AS_ADMIN);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(bed.harness.read(patched).has("accounts")).isFalse();
        long delivered = bed.change("SRV-00001", 6);

        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 1);
        assertThat(receiver.delivered().get(0).id()).isEqualTo(Long.toString(delivered)).isNotEqualTo(Long.toString(skipped));
        await().atMost(PATIENCE).until(() -> bed.deliveries(id).get(0).path("state").asText().equals("DELIVERED"));

        HttpResponse<String> retry = post(ENDPOINTS + "/" + id + "/deliveries/" + delivered + "/retry", "");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(bed.harness.read(retry).path("message").asText()).as("what a retry is").contains("one more attempt")
                .contains("given up");
        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 2);
        assertThat(receiver.delivered().get(1).id()).isEqualTo(Long.toString(delivered));
    }

    @Test
    void theSecretAppearsOnlyInTheCreateAndRotateAnswersNeverInGetsLogsMetricsOrTheStore() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = context.getLogger("io.tedeesync");
        Level oursLevel = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        try {
            bed.start(OutboundBed.FAST);
            WebhookReceiver receiver = bed.receiver().answering(request -> WebhookReceiver.Answer.status(request.index() == 0 ? 500 : 200));
            JsonNode endpoint = bed.create(receiver.url("/hooks"));
            String id = endpoint.path("id").asText();
            List<String> secrets = new ArrayList<>(List.of(endpoint.path("secret").asText()));
            secrets.add(bed.harness.read(post(ENDPOINTS + "/" + id + "/rotate-secret", "")).path("secret").asText());
            bed.change("SRV-00001", 2);
            await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 1);

            List<String> answers = new ArrayList<>();
            for (String path : List.of(ENDPOINTS, ENDPOINTS + "/" + id, ENDPOINTS + "/" + id + "/deliveries", "/health", "/metrics")) {
                HttpResponse<String> answer = bed.harness.get(path, OutboundBed.AS_ADMIN);
                assertThat(answer.statusCode()).as(path).isEqualTo(200);
                answers.add(answer.body());
            }
            answers.add(bed.harness.patch(ENDPOINTS + "/" + id, "{\"description\":\"x\"}", OutboundBed.AS_ADMIN).body());
            assertThat(answers.get(4)).contains("tedee_sync_webhook_deliveries_total").contains("tedee_sync_webhook_pending");
            assertThat(bed.harness.read(bed.harness.get(ENDPOINTS + "/" + id, OutboundBed.AS_ADMIN)).has("secret")).isFalse();
            bed.harness.stopService();
            List<String> logged = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(logged).as("the dispatcher logged the failed attempt").anyMatch(line -> line.contains(id));
            for (String secret : secrets) {
                String key = secret.substring("whsec_".length());
                assertThat(answers).noneMatch(answer -> answer.contains(key));
                assertThat(logged).noneMatch(line -> line.contains(key));
                try (Stream<Path> files = Files.walk(data)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                                .doesNotContain(key);
                    }
                }
            }
        } finally {
            root.detachAppender(captured);
            ours.setLevel(oursLevel);
        }
    }

    @Test
    void twoRotationsAtOnceLoseNeitherSecretTheLaterSignsFirstAndTheEarlierBesideIt() throws Exception {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        String id = bed.create(receiver.url("/hooks")).path("id").asText();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<HttpResponse<String>>> rotations = new ArrayList<>();
                for (int caller = 0; caller < 2; caller++) {
                    rotations.add(callers.submit(() -> {
                        go.await();
                        return post(ENDPOINTS + "/" + id + "/rotate-secret", "");
                    }));
                }
                go.countDown();
                List<String> answered = new ArrayList<>();
                for (java.util.concurrent.Future<HttpResponse<String>> rotation : rotations) {
                    HttpResponse<String> answer = rotation.get();
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    answered.add(bed.harness.read(answer).path("secret").asText());
                }
                int before = receiver.delivered().size();
                bed.change("SRV-00001", round % 2 == 0 ? 2 : 6);
                await().atMost(PATIENCE).until(() -> receiver.delivered().size() == before + 1);

                WebhookReceiver.Received signed = receiver.delivered().get(before);
                String[] signatures = signed.signature().split(" ");
                assertThat(signatures).as("current and previous").hasSize(2);
                List<String> current = answered.stream()
                        .filter(secret -> SpecSignature.verifies(secret, signed.id(), signed.timestamp(), signed.body(), signatures[0])).toList();
                List<String> previous = answered.stream()
                        .filter(secret -> SpecSignature.verifies(secret, signed.id(), signed.timestamp(), signed.body(), signatures[1])).toList();
                assertThat(current).as("round %d: exactly one answer is the current secret", round).hasSize(1);
                assertThat(previous).as("round %d: the other answer still signs beside it", round).hasSize(1)
                        .doesNotContainAnyElementsOf(current);
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
