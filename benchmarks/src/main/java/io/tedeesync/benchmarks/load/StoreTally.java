package io.tedeesync.benchmarks.load;

import io.tedeesync.client.DeviceState;
import io.tedeesync.store.EventQuery;
import io.tedeesync.store.LockStore;
import io.tedeesync.store.StoreConfig;
import io.tedeesync.store.StoredEvent;
import io.tedeesync.sync.MirroredLock;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the SQLite file holds after the service closed, read by opening it again as the store: every
 * event counted by type and source (paging the log 1,000 at a time, as {@code /api/events} does), and
 * each lock's stored state code. Immutable.
 *
 * @param eventsByTypeAndSource sorted by key, e.g. {@code StateChanged/WEBHOOK -> 55000}, {@code Added/SYNC -> 1000}
 * @param stateBySerial         the stored {@code lastKnown} state code of each lock
 */
record StoreTally(Map<String, Long> eventsByTypeAndSource, Map<String, Integer> stateBySerial) {
    static final String WEBHOOK_STATE_CHANGES = "StateChanged/WEBHOOK";

    static StoreTally read(Path dataDir) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Integer> states = new HashMap<>();
        try (LockStore store = LockStore.open(StoreConfig.sqlite(dataDir))) {
            long after = 0;
            List<StoredEvent> page;
            do {
                page = store.events(EventQuery.after(after, EventQuery.MAX_LIMIT));
                for (StoredEvent event : page) {
                    counts.merge(event.type() + "/" + event.source(), 1L, Long::sum);
                    after = event.id();
                }
            } while (page.size() == EventQuery.MAX_LIMIT);
            for (List<MirroredLock> locks : store.loadLocks().values()) {
                for (MirroredLock lock : locks) {
                    DeviceState known = lock.lastKnown();
                    states.put(lock.serialNumber(), known == null ? -1 : known.stateCode());
                }
            }
        }
        return new StoreTally(Collections.unmodifiableMap(counts), Map.copyOf(states));
    }

    long webhookStateChanges() {
        return eventsByTypeAndSource.getOrDefault(WEBHOOK_STATE_CHANGES, 0L);
    }
}
