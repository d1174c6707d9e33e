package io.tedeesync.client.internal;

import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.Endpoint;
import io.tedeesync.client.Entries;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.MalformedResponseException;
import io.tedeesync.client.OperationAccepted;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import io.tedeesync.client.UnreadableEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lock and device-operation endpoints, on top of {@link ApiTransport}. Thread-safe and immutable. */
public final class LockEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(LockEndpoints.class);

    /** Far more than any account has; a guard against a server that keeps answering full pages. */
    private static final int MAX_PAGES = 10_000;

    private final ApiTransport transport;
    private final int pageSize;
    private final int idsPerSync;

    public LockEndpoints(ApiTransport transport, int pageSize, int idsPerSync) {
        this.transport = transport;
        this.pageSize = pageSize;
        this.idsPerSync = idsPerSync;
    }

    /**
     * Every page of {@code GET /my/lock}. Stops at a short page, and also when a page brings no new
     * entry or more than asked for (a server that ignores paging answers everything every time). An
     * unreadable entry counts for paging like any other.
     */
    public Entries<Lock> getLockEntries() {
        List<Lock> all = new ArrayList<>();
        List<UnreadableEntry> unreadable = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Set<UnreadableEntry> seenUnreadable = new HashSet<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            Entries<Lock> batch = transport.callForList(Endpoint.GET_LOCKS, "GET",
                    "/my/lock?Page=" + page + "&ItemsPerPage=" + pageSize, Wire.LockDto.class, WireMapper::lock);
            int fresh = 0;
            for (Lock lock : batch.readable()) {
                if (seen.add(lock.id())) {
                    all.add(lock);
                    fresh++;
                }
            }
            for (UnreadableEntry entry : batch.unreadable()) {
                if (seenUnreadable.add(entry)) {
                    unreadable.add(entry);
                    fresh++;
                }
            }
            int size = batch.readable().size() + batch.unreadable().size();
            if (size != pageSize || fresh == 0) {
                return new Entries<>(all, unreadable);
            }
        }
        throw new MalformedResponseException("GET /my/lock kept answering full pages past page " + MAX_PAGES,
                Endpoint.GET_LOCKS, 200, null);
    }

    /** {@link #getLockEntries()}, logging each unreadable entry. */
    public List<Lock> getLocks() {
        return readableLogged(Endpoint.GET_LOCKS, getLockEntries());
    }

    public Lock getLock(long id) {
        return transport.callForOne(Endpoint.GET_LOCK, "GET", "/my/lock/" + id, Wire.LockDto.class, WireMapper::lock);
    }

    public Entries<LockSync> syncLockEntries() {
        return sync("/my/lock/sync");
    }

    public List<LockSync> syncLocks() {
        return readableLogged(Endpoint.SYNC_LOCKS, syncLockEntries());
    }

    /**
     * {@code GET /my/lock/sync?id=..&id=..}. Ids are de-duplicated; more than {@code idsPerSync} are
     * split into several calls so the query stays under common URL limits (IIS allows 2,048 chars).
     */
    public Entries<LockSync> syncLockEntries(Collection<Long> ids) {
        List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        List<LockSync> readable = new ArrayList<>(unique.size());
        List<UnreadableEntry> unreadable = new ArrayList<>();
        for (int from = 0; from < unique.size(); from += idsPerSync) {
            List<Long> chunk = unique.subList(from, Math.min(unique.size(), from + idsPerSync));
            Entries<LockSync> batch = sync("/my/lock/sync?" + chunk.stream().map(id -> "id=" + id).collect(Collectors.joining("&")));
            readable.addAll(batch.readable());
            unreadable.addAll(batch.unreadable());
        }
        return new Entries<>(readable, unreadable);
    }

    public List<LockSync> syncLocks(Collection<Long> ids) {
        return readableLogged(Endpoint.SYNC_LOCKS, syncLockEntries(ids));
    }

    public LockSync syncLock(long id) {
        return transport.callForOne(Endpoint.SYNC_LOCK, "GET", "/my/lock/" + id + "/sync", Wire.LockSyncDto.class,
                WireMapper::lockSync);
    }

    public OperationAccepted operate(long id, OperationType operation, UnlockMode mode) {
        String path = "/my/lock/" + id + "/operation/" + pathOf(operation);
        if (mode != null && mode != UnlockMode.NORMAL) {
            path += "?mode=" + mode.code();
        }
        return transport.callForOne(Endpoint.OPERATE_LOCK, "POST", path, Wire.OperationAcceptedDto.class,
                WireMapper::operationAccepted);
    }

    public DeviceOperation getOperation(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new IllegalArgumentException("operationId is empty");
        }
        return transport.callForOne(Endpoint.GET_OPERATION, "GET",
                "/my/device/operation/" + URLEncoder.encode(operationId, StandardCharsets.UTF_8),
                Wire.DeviceOperationDto.class, WireMapper::deviceOperation);
    }

    private Entries<LockSync> sync(String pathAndQuery) {
        return transport.callForList(Endpoint.SYNC_LOCKS, "GET", pathAndQuery, Wire.LockSyncDto.class, WireMapper::lockSync);
    }

    /** The readable entries; one WARN line per unreadable one (which lock, why), so a skipped lock is never silent. */
    private static <T> List<T> readableLogged(Endpoint endpoint, Entries<T> entries) {
        for (UnreadableEntry entry : entries.unreadable()) {
            LOG.warn("{} answered an unreadable entry (lock id {}, serial {}); skipped it: {}", endpoint.template(),
                    entry.id() == null ? "unknown" : entry.id(),
                    entry.serialNumber() == null ? "unknown" : Reasons.abbreviate(entry.serialNumber()),
                    entry.reason());
        }
        return entries.readable();
    }

    private static String pathOf(OperationType operation) {
        switch (operation) {
            case LOCK: return "lock";
            case UNLOCK: return "unlock";
            case PULL: return "pull";
            default: throw new IllegalArgumentException("not an operation: " + operation);
        }
    }
}
