package io.tedeesync.client;

import static io.tedeesync.client.StubServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One unreadable element of a list answer used to fail the whole answer (Jackson read the list as a
 * whole), so every lock went stale for one bad date. Now each element is read on its own.
 */
class UnreadableEntriesTest {
    private static final String KEY = "entries-personal-key-31c9";
    private static final String GET_ALL = "/api/v37/my/lock?";
    private static final String SYNC = "/api/v37/my/lock/sync";

    private final StubServer server = new StubServer();
    private final TedeeClient client = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).build();

    @AfterEach
    void stop() {
        server.close();
    }

    static String lock(long id, String serial, String stateDate) {
        return "{\"id\":" + id + ",\"serialNumber\":\"" + serial + "\",\"name\":\"Door " + id + "\",\"type\":2,\"revision\":3,"
                + "\"isConnected\":true,\"deviceState\":{\"state\":6,\"doorState\":3,\"batteryLevel\":80,\"isCharging\":false,"
                + "\"lastStateChangedDate\":\"" + stateDate + "\"}}";
    }

    static String sync(long id, String connected) {
        return "{\"id\":" + id + ",\"isConnected\":" + connected + ",\"revision\":3,\"deviceState\":{\"state\":6,"
                + "\"lastStateChangedDate\":\"2026-02-27T10:00:00Z\"}}";
    }

    static String envelope(String... elements) {
        return "{\"result\":[" + String.join(",", elements) + "],\"success\":true,\"errorMessages\":[],\"statusCode\":200}";
    }

    @Test
    void oneLockDatedFebruary30NoLongerFailsTheWholeGetAll() {
        server.on(GET_ALL, json(200, envelope(lock(1, "S-1", "2026-02-27T10:00:00Z"),
                lock(2, "S-2", "2026-02-30T10:00:00Z"), lock(3, "S-3", "2026-02-28T10:00:00Z"))));

        Entries<Lock> entries = client.getLockEntries();

        assertThat(entries.readable()).extracting(Lock::serialNumber).containsExactly("S-1", "S-3");
        assertThat(entries.complete()).isFalse();
        assertThat(entries.unreadable()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(2);
            assertThat(entry.serialNumber()).isEqualTo("S-2");
            assertThat(entry.reason()).contains("deviceState.lastStateChangedDate").contains("2026-02-30");
        });
        assertThat(client.getLocks()).extracting(Lock::id).containsExactly(1L, 3L);
    }

    @Test
    void wronglyTypedSyncEntriesAreSkippedAndTheOthersKept() {
        server.on(SYNC, json(200, envelope(sync(1, "true"), sync(2, "\"yes\""), "{\"id\":\"abc\",\"isConnected\":true}",
                "{\"id\":4,\"isConnected\":true,\"deviceState\":{\"state\":{}}}", sync(5, "false"))));

        Entries<LockSync> entries = client.syncLockEntries();

        assertThat(entries.readable()).extracting(LockSync::id).containsExactly(1L, 5L);
        assertThat(entries.unreadable()).extracting(UnreadableEntry::id).containsExactly(2L, null, 4L);
        assertThat(entries.unreadable()).extracting(UnreadableEntry::reason).satisfiesExactly(
                reason -> assertThat(reason).isEqualTo("isConnected is the text 'yes', not true or false"),
                reason -> assertThat(reason).isEqualTo("id is the text 'abc', not a whole number"),
                reason -> assertThat(reason).isEqualTo("deviceState.state is an object, not a whole number"));
        assertThat(entries.unreadable()).extracting(UnreadableEntry::serialNumber).containsOnlyNulls();
    }

    @Test
    void unreadableEntriesCountForPagingSoTheNextPageIsStillFetched() {
        server.on("/api/v37/my/lock?Page=1&", json(200, envelope(lock(1, "S-1", "2026-02-27T10:00:00Z"),
                lock(2, "S-2", "2026-02-30T10:00:00Z"))));
        server.on("/api/v37/my/lock?Page=2&", json(200, envelope(lock(3, "S-3", "2026-02-27T10:00:00Z"))));
        TedeeClient paged = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).pageSize(2).build();

        Entries<Lock> entries = paged.getLockEntries();

        assertThat(entries.readable()).extracting(Lock::id).containsExactly(1L, 3L);
        assertThat(entries.unreadable()).extracting(UnreadableEntry::id).containsExactly(2L);
        assertThat(server.seen()).hasSize(2);
    }

    @Test
    void aPageOfOnlyUnreadableEntriesDoesNotEndPaging() {
        server.on("/api/v37/my/lock?Page=1&", json(200, envelope(lock(1, "S-1", "2026-02-30T10:00:00Z"),
                lock(2, "S-2", "2026-02-31T10:00:00Z"))));
        server.on("/api/v37/my/lock?Page=2&", json(200, envelope(lock(3, "S-3", "2026-02-27T10:00:00Z"))));
        TedeeClient paged = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).pageSize(2).build();

        Entries<Lock> entries = paged.getLockEntries();

        assertThat(entries.readable()).extracting(Lock::id).containsExactly(3L);
        assertThat(entries.unreadable()).extracting(UnreadableEntry::id).containsExactly(1L, 2L);
    }

    @Test
    void aServerRepeatingTheSameUnreadablePageIsReadOnce() {
        server.on(GET_ALL, json(200, envelope(lock(1, "S-1", "2026-02-30T10:00:00Z"), lock(2, "S-2", "2026-02-27T10:00:00Z"))));
        TedeeClient paged = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).pageSize(2).build();

        Entries<Lock> entries = paged.getLockEntries();

        assertThat(entries.readable()).extracting(Lock::id).containsExactly(2L);
        assertThat(entries.unreadable()).hasSize(1);
        assertThat(server.seen()).hasSize(2);
    }

    @Test
    void filteredSyncEntriesAreChunkedLikeSyncLocksAndGatheredFromEveryChunk() {
        server.on(SYNC + "?id=1&id=2", json(200, envelope(sync(1, "true"), sync(2, "\"yes\""))));
        server.on(SYNC + "?id=3", json(200, envelope(sync(3, "true"))));
        TedeeClient small = TedeeClient.builder().baseUrl(server.baseUrl()).personalKey(KEY).idsPerSync(2).build();

        Entries<LockSync> entries = small.syncLockEntries(List.of(1L, 2L, 2L, 3L));

        assertThat(entries.readable()).extracting(LockSync::id).containsExactly(1L, 3L);
        assertThat(entries.unreadable()).extracting(UnreadableEntry::id).containsExactly(2L);
        assertThat(server.seen()).extracting(StubServer.Seen::pathAndQuery).containsExactly(SYNC + "?id=1&id=2", SYNC + "?id=3");
        assertThat(small.syncLockEntries(List.of()).complete()).isTrue();
    }

    @Test
    void theListMethodsLogOneWarnLinePerSkippedEntryWithoutTheKey() {
        server.on(SYNC, json(200, envelope(sync(1, "true"), sync(2, "\"yes\""), "null")));
        Logger logger = (Logger) LoggerFactory.getLogger("io.tedeesync.client.internal.LockEndpoints");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            assertThat(client.syncLocks()).extracting(LockSync::id).containsExactly(1L);
            assertThat(client.syncLocks(List.of(1L, 2L))).extracting(LockSync::id).containsExactly(1L);
        } finally {
            logger.detachAppender(captured);
        }

        assertThat(captured.list).hasSize(4).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("GET /my/lock/sync answered an unreadable entry").doesNotContain(KEY);
        });
        assertThat(captured.list.get(0).getFormattedMessage()).contains("lock id 2").contains("isConnected");
        assertThat(captured.list.get(1).getFormattedMessage()).contains("lock id unknown").contains("the entry is null");
    }

    @Test
    void theEntriesMethodsLogNothing() {
        server.on(SYNC, json(200, envelope(sync(2, "\"yes\""))));
        Logger logger = (Logger) LoggerFactory.getLogger("io.tedeesync.client.internal.LockEndpoints");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            assertThat(client.syncLockEntries().unreadable()).hasSize(1);
        } finally {
            logger.detachAppender(captured);
        }

        assertThat(captured.list).isEmpty();
    }

    @Test
    void anElementWithADuplicateKeyIsUnreadableAndTheElementsAfterItAreRead() {
        server.on(SYNC, json(200, envelope(sync(1, "true"),
                "{\"id\":2,\"isConnected\":true,\"deviceState\":{\"state\":6,\"state\":2}}", sync(3, "true"))));

        Entries<LockSync> entries = client.syncLockEntries();

        assertThat(entries.readable()).extracting(LockSync::id).containsExactly(1L, 3L);
        assertThat(entries.unreadable()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(2);
            assertThat(entry.reason()).isEqualTo("the key 'state' appears twice");
        });
    }

    @Test
    void singleObjectEndpointsStayAllOrNothing() {
        server.on("/api/v37/my/lock/2/sync", json(200, "{\"result\":" + sync(2, "\"yes\"") + ",\"success\":true}"));
        server.on("/api/v37/my/lock/3", json(200, "{\"result\":" + lock(3, "S-3", "2026-02-30T10:00:00Z") + ",\"success\":true}"));

        assertThatThrownBy(() -> client.syncLock(2)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("isConnected is the text 'yes'");
        assertThatThrownBy(() -> client.getLock(3)).isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("2026-02-30");
    }

    @Test
    void anUnreadableEnvelopeIsStillMalformed() {
        server.on("/api/v37/my/lock/sync?id=1", json(200, "{\"result\":[" + sync(1, "true") + ",{\"id\":2,\"isConn"));
        server.on("/api/v37/my/lock/sync?id=2", json(200, "{\"result\":{\"id\":2},\"success\":true}"));
        server.on("/api/v37/my/lock/sync?id=3", json(200, "<html><body>maintenance</body></html>"));
        server.on("/api/v37/my/lock/sync?id=4", json(200, "{\"result\":[],\"result\":[],\"success\":true}"));

        for (long id = 1; id <= 4; id++) {
            long lockId = id;
            assertThatThrownBy(() -> client.syncLockEntries(List.of(lockId))).as("id %d", id)
                    .isExactlyInstanceOf(MalformedResponseException.class);
        }
    }
}
