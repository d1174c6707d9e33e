package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.outbound.OutboundSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound webhooks delivered by the real service to real receivers over HTTP: the body and the Standard
 * Webhooks headers checked with an independent verifier, retries, 410, rotation, a restart mid-retry, a
 * receiver that hangs, per-lock order, and an endpoint failing for the whole retry period.
 */
class OutboundDeliveryTest {
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

    @Test
    void aChangeArrivesSignedPerStandardWebhooksWithTheEventAsApiEventsShowsIt() throws Exception {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        JsonNode endpoint = bed.create(receiver.url("/hooks/tedee"));
        String secret = endpoint.path("secret").asText();

        long eventId = bed.change("SRV-00001", 2);

        await().atMost(PATIENCE).until(() -> !receiver.delivered().isEmpty());
        WebhookReceiver.Received request = receiver.delivered().get(0);
        assertThat(request.id()).isEqualTo(Long.toString(eventId));
        assertThat(request.contentType()).startsWith("application/json");
        assertThat(Long.parseLong(request.timestamp())).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        assertThat(request.signature()).startsWith("v1,").doesNotContain(" ");
        assertThat(SpecSignature.verifies(secret, request.id(), request.timestamp(), request.body(), request.signature())).isTrue();
        assertThat(SpecSignature.verifies(secret, request.id(), request.timestamp(), request.body() + " ", request.signature()))
                .as("a changed body does not verify").isFalse();
        JsonNode body = bed.harness.json.readTree(request.body());
        JsonNode stored = bed.harness.read(bed.harness.get("/api/events?after=" + (eventId - 1) + "&limit=1")).get(0);
        assertThat(body.path("type").asText()).isEqualTo("StateChanged");
        assertThat(body.path("data")).isEqualTo(stored);
        assertThat(Instant.parse(body.path("timestamp").asText()))
                .isEqualTo(Instant.parse(stored.path("occurredAt").asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode delivery = bed.deliveries(endpoint.path("id").asText()).get(0);
            assertThat(delivery.path("state").asText()).isEqualTo("DELIVERED");
            assertThat(delivery.path("attemptsDetail").get(0).path("status").asInt()).isEqualTo(200);
        });
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheSameMessageUntilItTakesIt() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver().answering(request -> WebhookReceiver.Answer.status(request.index() < 2 ? 500 : 204));
        JsonNode endpoint = bed.create(receiver.url("/hooks"));
        String id = endpoint.path("id").asText();

        long eventId = bed.change("SRV-00002", 2);

        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 1);
        List<WebhookReceiver.Received> all = receiver.received();
        assertThat(all).hasSize(3);
        assertThat(all).extracting(WebhookReceiver.Received::id).containsOnly(Long.toString(eventId));
        assertThat(all).extracting(WebhookReceiver.Received::body).containsOnly(all.get(0).body());
        assertThat(all.get(2).answered()).isEqualTo(204);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode delivery = bed.deliveries(id).get(0);
            assertThat(delivery.path("state").asText()).isEqualTo("DELIVERED");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.path("attemptsDetail")).extracting(attempt -> attempt.path("status").asInt()).containsExactly(500, 500, 204);
            assertThat(delivery.path("attemptsDetail").get(0).path("error").asText()).contains("500");
        });
        assertThat(bed.endpoint(id).has("failingSince")).as("a success ends the failing run").isFalse();
    }

    @Test
    void retryAfterOn429IsHonouredBeforeTheNextAttempt() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver().answering(request -> request.index() == 0
                ? new WebhookReceiver.Answer(429, "3600") : WebhookReceiver.Answer.status(200));
        String id = bed.create(receiver.url("/hooks")).path("id").asText();

        bed.change("SRV-00001", 2);

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode delivery = bed.deliveries(id).get(0);
            assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
            Instant next = Instant.parse(delivery.path("nextAttemptAt").asText());
            Instant tried = Instant.parse(delivery.path("attemptsDetail").get(0).path("at").asText());
            assertThat(next).as("not before the hour the receiver asked for").isAfterOrEqualTo(tried.plusSeconds(3590));
        });
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void goneDisablesTheEndpointWithAHealthWarningAndItsDeliveriesWaitUntilItIsEnabledAgain() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver gone = bed.receiver().answering(410);
        WebhookReceiver healthy = bed.receiver();
        String id = bed.create(gone.url("/old")).path("id").asText();
        bed.create(healthy.url("/new"));

        long first = bed.change("SRV-00001", 2);
        await().atMost(PATIENCE).until(() -> !bed.endpoint(id).path("enabled").asBoolean());
        assertThat(bed.endpoint(id).path("disabledReason").asText()).contains("410");
        JsonNode health = bed.harness.read(bed.harness.get("/health"));
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("webhooks").path("disabled").get(0).path("id").asText()).isEqualTo(id);
        assertThat(health.path("webhooks").path("disabled").get(0).path("reason").asText()).contains("410");

        long second = bed.change("SRV-00002", 2);
        await().atMost(PATIENCE).until(() -> healthy.delivered().stream().anyMatch(r -> r.id().equals(Long.toString(second))));
        assertThat(gone.received()).as("nothing more to a disabled endpoint").hasSize(1);
        assertThat(bed.endpoint(id).path("pending").asLong()).as("the one answered 410 waits").isEqualTo(1);

        gone.answering(200);
        assertThat(bed.harness.patch("/api/webhook-endpoints/" + id, "{\"enabled\":true}", OutboundBed.AS_ADMIN).statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> gone.delivered().size() == 2);
        assertThat(gone.delivered()).extracting(WebhookReceiver.Received::id).containsExactlyInAnyOrder(Long.toString(first), Long.toString(second));
        assertThat(bed.harness.read(bed.harness.get("/health")).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void afterARotationBothSecretsSignForADayThenOnlyTheNewOne() throws Exception {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        JsonNode endpoint = bed.create(receiver.url("/hooks"));
        String id = endpoint.path("id").asText();
        String oldSecret = endpoint.path("secret").asText();
        JsonNode rotated = bed.harness.read(bed.harness.post("/api/webhook-endpoints/" + id + "/rotate-secret", "", OutboundBed.AS_ADMIN));
        String newSecret = rotated.path("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

        bed.change("SRV-00001", 2);
        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 1);
        WebhookReceiver.Received during = receiver.delivered().get(0);
        String[] signatures = during.signature().split(" ");
        assertThat(signatures).hasSize(2);
        assertThat(SpecSignature.verifies(newSecret, during.id(), during.timestamp(), during.body(), signatures[0])).as("new first").isTrue();
        assertThat(SpecSignature.verifies(oldSecret, during.id(), during.timestamp(), during.body(), signatures[1])).isTrue();

        bed.harness.clock.advance(Duration.ofHours(25));
        bed.change("SRV-00001", 6);
        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 2);
        WebhookReceiver.Received after = receiver.delivered().get(1);
        assertThat(after.signature()).doesNotContain(" ");
        assertThat(SpecSignature.verifies(newSecret, after.id(), after.timestamp(), after.body(), after.signature())).isTrue();
        assertThat(SpecSignature.verifies(oldSecret, after.id(), after.timestamp(), after.body(), after.signature())).isFalse();
    }

    @Test
    void aDeliveryPendingAtStopIsDeliveredAfterTheRestart() {
        OutboundSettings slowRetries = OutboundBed.FAST.withRetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(2)));
        bed.start(slowRetries);
        WebhookReceiver receiver = bed.receiver().answering(503);
        String id = bed.create(receiver.url("/hooks")).path("id").asText();
        long eventId = bed.change("SRV-00003", 2);
        await().atMost(PATIENCE).until(() -> !receiver.received().isEmpty());
        await().atMost(PATIENCE).until(() -> bed.deliveries(id).get(0).path("attempts").asInt() >= 1);
        assertThat(bed.deliveries(id).get(0).path("state").asText()).isEqualTo("PENDING");

        bed.harness.stopService();
        receiver.answering(200);
        bed.start(slowRetries);

        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == 1);
        assertThat(receiver.delivered().get(0).id()).isEqualTo(Long.toString(eventId));
        await().atMost(PATIENCE).until(() -> bed.deliveries(id).get(0).path("state").asText().equals("DELIVERED"));
    }

    @Test
    void anAttemptInFlightAtStopIsSentAgainAfterTheRestart() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver();
        AtomicInteger hangs = new AtomicInteger(1);
        receiver.answering(request -> WebhookReceiver.Answer.status(hangs.getAndDecrement() > 0 ? WebhookReceiver.HANG : 200));
        String id = bed.create(receiver.url("/hooks")).path("id").asText();
        long eventId = bed.change("SRV-00001", 2);
        await().atMost(PATIENCE).until(() -> receiver.received().size() == 1);

        bed.harness.stopService();
        bed.start(OutboundBed.FAST);

        await().atMost(PATIENCE).until(() -> receiver.delivered().stream().anyMatch(r -> r.index() > 0));
        assertThat(receiver.received().get(1).id()).isEqualTo(Long.toString(eventId));
        await().atMost(PATIENCE).until(() -> bed.deliveries(id).get(0).path("state").asText().equals("DELIVERED"));
    }

    @Test
    void aReceiverThatHangsDoesNotDelayAnotherEndpoint() {
        // Six locks against four places: the hanging endpoint is full, and two of its deliveries wait for a place. Its
        // attempts would end only after ten minutes: the other endpoint is served long before.
        List<String> serials = new ArrayList<>(List.of("SRV-00001", "SRV-00002", "SRV-00003"));
        for (int i = 4; i <= 6; i++) {
            bed.harness.simulator.addLock("home", "SRV-0000" + i, "Door " + i);
            bed.harness.simulator.setLockState("SRV-0000" + i, 6);
            serials.add("SRV-0000" + i);
        }
        OutboundSettings fourPlaces = OutboundBed.FAST.withTimeout(Duration.ofMinutes(10)).withPerEndpointConcurrency(4);
        bed.start(fourPlaces);
        await().atMost(PATIENCE).until(() -> bed.harness.get("/api/locks", OutboundBed.AS_ADMIN).body().contains("SRV-00006"));
        WebhookReceiver hanging = bed.receiver().answering(WebhookReceiver.HANG);
        WebhookReceiver quick = bed.receiver();
        String hangingId = bed.create(hanging.url("/slow")).path("id").asText();
        bed.create(quick.url("/quick"));

        List<Long> events = new ArrayList<>();
        for (String serial : serials) {
            events.add(bed.change(serial, 2));
        }

        await().atMost(PATIENCE).until(() -> quick.delivered().size() == serials.size());
        assertThat(quick.delivered()).extracting(WebhookReceiver.Received::id)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(String::valueOf).toList());
        await().atMost(PATIENCE).until(() -> hanging.received().size() == fourPlaces.perEndpointConcurrency());
        assertThat(hanging.received()).as("one per place, all held").allMatch(request -> request.answered() == 0);
        assertThat(bed.endpoint(hangingId).path("pending").asLong()).as("the two without a place wait").isEqualTo(serials.size());
        assertThat(bed.harness.read(bed.harness.get("/health")).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void eventsOfOneLockArriveInOrderEvenWhenEachFirstAttemptFails() {
        bed.start(OutboundBed.FAST);
        Set<String> failedOnce = new HashSet<>();
        WebhookReceiver receiver = bed.receiver().answering(request -> {
            synchronized (failedOnce) {
                return WebhookReceiver.Answer.status(failedOnce.add(request.id()) ? 500 : 200);
            }
        });
        bed.create(receiver.url("/hooks"));

        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(Long.toString(bed.change("SRV-00001", i % 2 == 0 ? 2 : 6)));
        }

        await().atMost(PATIENCE).until(() -> receiver.delivered().size() == events.size());
        assertThat(receiver.delivered()).extracting(WebhookReceiver.Received::id).containsExactlyElementsOf(events);
        // No event was even tried before the one before it was taken.
        Set<String> taken = new HashSet<>();
        for (WebhookReceiver.Received request : receiver.received()) {
            int position = events.indexOf(request.id());
            assertThat(taken).as("before %s", request.id()).containsAll(events.subList(0, position));
            if (request.answered() == 200) {
                taken.add(request.id());
            }
        }
    }

    @Test
    void anEndpointFailingForTheWholeRetryPeriodIsDisabledAndItsDeliveryFailed() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver receiver = bed.receiver().answering(500);
        String id = bed.create(receiver.url("/hooks")).path("id").asText();
        bed.change("SRV-00002", 2);
        await().atMost(PATIENCE).until(() -> bed.endpoint(id).has("failingSince"));
        assertThat(bed.endpoint(id).path("enabled").asBoolean()).isTrue();

        bed.harness.clock.advance(Duration.ofHours(25));
        bed.change("SRV-00002", 6); // wakes the dispatcher at the new time

        await().atMost(PATIENCE).until(() -> !bed.endpoint(id).path("enabled").asBoolean());
        assertThat(bed.endpoint(id).path("disabledReason").asText()).contains("without a success for 24 h");
        JsonNode deliveries = bed.deliveries(id);
        assertThat(deliveries.get(deliveries.size() - 1).path("state").asText()).as("the first one, past its day").isEqualTo("FAILED");
        var health = bed.harness.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(bed.harness.read(health).path("status").asText()).isEqualTo("degraded");
        assertThat(bed.harness.read(health).path("webhooks").path("disabled").get(0).path("reason").asText()).contains("failing since");
    }

    @Test
    void aRetryAfterPausesTheWholeEndpointNotOnlyTheOneDelivery() {
        bed.start(OutboundBed.FAST);
        WebhookReceiver limited = bed.receiver().answering(request -> request.index() == 0
                ? new WebhookReceiver.Answer(503, "3600") : WebhookReceiver.Answer.status(200));
        WebhookReceiver other = bed.receiver();
        String id = bed.create(limited.url("/hooks")).path("id").asText();
        bed.create(other.url("/other")); // served after it in each round: its delivery says the round went by

        bed.change("SRV-00001", 2);
        await().atMost(PATIENCE).until(() -> limited.received().size() == 1);
        long second = bed.change("SRV-00002", 2); // another lock: not held by the first one's order
        await().atMost(PATIENCE).until(() -> other.delivered().stream().anyMatch(r -> r.id().equals(Long.toString(second))));

        assertThat(limited.received()).as("the endpoint waits out the receiver's hour").hasSize(1);
        bed.harness.clock.advance(Duration.ofHours(2));
        bed.change("SRV-00003", 2); // wakes the dispatcher at the new time
        await().atMost(PATIENCE).until(() -> limited.delivered().size() == 3);
        assertThat(bed.endpoint(id).path("pending").asLong()).isZero();
    }

    @Test
    void aRedirectToAPrivateAddressIsNotFollowedAndCountsAsAFailure() {
        bed.start(OutboundBed.FAST.withRetrySchedule(List.of(Duration.ZERO, Duration.ofHours(1))));
        WebhookReceiver inside = bed.receiver(); // on loopback: a private address
        WebhookReceiver redirecting = bed.receiver().answering(request -> new WebhookReceiver.Answer(302, null, inside.url("/admin")));
        String id = bed.create(redirecting.url("/hooks")).path("id").asText();

        bed.change("SRV-00001", 2);

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode delivery = bed.deliveries(id).get(0);
            assertThat(delivery.path("attemptsDetail").get(0).path("status").asInt()).isEqualTo(302);
            assertThat(delivery.path("lastError").asText()).contains("redirects are not followed");
            assertThat(delivery.path("state").asText()).as("to be retried, not delivered").isEqualTo("PENDING");
        });
        assertThat(bed.endpoint(id).has("failingSince")).isTrue();
        assertThat(redirecting.received()).hasSize(1);
        assertThat(inside.received()).as("the Location on loopback was not followed").isEmpty();
    }
}
