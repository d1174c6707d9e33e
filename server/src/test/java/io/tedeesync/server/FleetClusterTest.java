package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.store.EmbeddedPostgresHolder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The fleet routes on two instances sharing one PostgreSQL: each serves every lock and counts them all, knows the
 * sync floor of its own locks only, and a page cursor made by one is answered by either (the other relays it to
 * the one that holds the snapshot), until the instance that made it is gone: then {@code 410}. When the store
 * cannot be read, the routes that read it answer {@code 503} with a WARN line, not a 500 and a stack trace. One
 * cluster for all of it: bringing one up (a database, two instances, their leases) is most of the time.
 */
class FleetClusterTest {
    @TempDir
    Path data;

    private ClusterBed bed;

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    private List<String> serials(TedeeSyncService instance, String path) {
        return FleetBed.serialsOf(bed.read(bed.get(instance, path)));
    }

    @Test
    void everyInstanceCountsEveryLockACursorIsAnsweredByEitherUntilItsMakerIsGoneAndAStoreOutageIs503() throws Exception {
        bed = new ClusterBed(data, 2, 5).startInstances(2);
        for (TedeeSyncService instance : bed.live()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> serials(instance, "/api/locks").size() == 10);
        }

        // Every instance counts every lock, and knows the floor of its own locks only.
        String account = bed.accounts.get(0);
        String serial = ClusterBed.serial(account, 1);
        TedeeSyncService owner = bed.ownerOf(account);
        TedeeSyncService notOwner = bed.notOwnerOf(account);
        for (TedeeSyncService instance : bed.live()) {
            JsonNode summary = bed.read(bed.get(instance, "/api/summary"));
            assertThat(summary.get("total").get("locks").asInt()).isEqualTo(10);
            assertThat(summary.get("accounts").findValuesAsText("account")).containsExactly("acct-1", "acct-2");
            assertThat(summary.get("total").get("states").get("LOCKED").asInt()).isEqualTo(serials(instance, "/api/locks?state=LOCKED").size());
        }
        assertThat(bed.read(bed.get(owner, "/api/locks/" + serial)).has("nextSyncAllowedAt")).isTrue();
        assertThat(bed.read(bed.get(notOwner, "/api/locks/" + serial)).has("nextSyncAllowedAt")).as("another instance's lock").isFalse();
        assertThat(bed.read(bed.get(notOwner, "/api/locks/" + serial)).get("serialNumber").asText()).isEqualTo(serial);

        // A cursor walk, every other page asked of the instance that did not make it.
        TedeeSyncService maker = bed.instances.get(0);
        TedeeSyncService other = bed.instances.get(1);
        List<String> walked = new ArrayList<>();
        JsonNode page = bed.read(bed.get(maker, "/api/locks?sort=name&limit=3"));
        String firstCursor = page.get("nextCursor").asText();
        int pages = 1;
        walked.addAll(FleetBed.serialsOf(page.get("locks")));
        while (!page.get("nextCursor").isNull()) {
            TedeeSyncService asked = pages % 2 == 1 ? other : maker; // the second page from the other instance, and so on
            HttpResponse<String> next = bed.get(asked, "/api/locks?limit=3&cursor=" + page.get("nextCursor").asText());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            page = bed.read(next);
            assertThat(page.get("total").asInt()).isEqualTo(10);
            walked.addAll(FleetBed.serialsOf(page.get("locks")));
            pages++;
        }

        assertThat(pages).isEqualTo(4);
        assertThat(walked).containsExactlyElementsOf(serials(maker, "/api/locks?sort=name"));
        String relayed = "/api/locks?limit=3&cursor=" + firstCursor;
        assertThat(FleetBed.serialsOf(bed.read(bed.get(other, relayed)).get("locks"))).as("relayed")
                .isEqualTo(FleetBed.serialsOf(bed.read(bed.get(maker, relayed)).get("locks"))).isEqualTo(walked.subList(3, 6));
        // The tag of a relayed page is that of its bytes: asked again unchanged, it is 304 (a sync may change it meanwhile: asked again).
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> first = bed.get(other, relayed);
            HttpResponse<String> again = bed.get(other, relayed, "If-None-Match", first.headers().firstValue("ETag").orElseThrow());
            return first.statusCode() == 200 && again.statusCode() == 304 && again.body().isEmpty()
                    && first.headers().allValues("Vary").contains("Accept-Encoding") && again.headers().allValues("Vary").contains("Accept-Encoding");
        });

        // The store cannot be read (its lock table gone for a moment): what reads it there is 503 (the list and the summary,
        // and another instance's lock).
        ListAppender<ILoggingEvent> logged = capture();
        try (Connection connection = DriverManager.getConnection(bed.database, EmbeddedPostgresHolder.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE lock_snapshot RENAME TO lock_snapshot_away");
            List<HttpResponse<String>> answers;
            try {
                answers = List.of(bed.get(notOwner, "/api/locks"), bed.get(notOwner, "/api/locks?limit=3"), bed.get(notOwner, "/api/summary"),
                        bed.get(notOwner, "/api/locks/" + serial));
            } finally {
                statement.execute("ALTER TABLE lock_snapshot_away RENAME TO lock_snapshot");
            }
            for (HttpResponse<String> answer : answers) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(bed.read(answer).get("error").asText()).isEqualTo("store_unavailable");
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
            }
        } finally {
            release(logged);
        }
        List<ILoggingEvent> routeLines = logged.list.stream().filter(line -> line.getLoggerName().endsWith("LockListRoute")
                || line.getLoggerName().endsWith("SummaryRoute") || line.getLoggerName().endsWith("LockRoutes")
                || line.getLoggerName().endsWith("HttpApi")).toList();
        assertThat(routeLines).as("one WARN line each, no stack trace, no 500's ERROR").hasSize(4)
                .allSatisfy(line -> {
                    assertThat(line.getLevel()).isEqualTo(Level.WARN);
                    assertThat(line.getThrowableProxy()).isNull();
                });
        await("back once it can be read").atMost(Duration.ofSeconds(30)).until(() -> bed.get(notOwner, "/api/locks").statusCode() == 200
                && serials(notOwner, "/api/locks").size() == 10);

        bed.stop(maker);

        await().atMost(Duration.ofSeconds(30)).until(() -> bed.get(other, relayed).statusCode() == 410);
        assertThat(bed.read(bed.get(other, relayed)).get("error").asText()).isEqualTo("cursor_expired");
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
        return captured;
    }

    private static void release(ListAppender<ILoggingEvent> captured) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    }
}
