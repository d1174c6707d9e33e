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
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock and device-operation endpoints, on top of {@link ApiTransport}: each returns a future (see there
 * for how it fails) and never blocks. Thread-safe and immutable.
 */
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
     * Every page of {@code GET /my/lock}, each page's request sent when the one before has been read (a
     * chain of futures, nothing waits). Stops at a short page, and also when a page brings no new entry or
     * more than asked for (a server that ignores paging answers everything every time). An unreadable
     * entry counts for paging like any other.
     */
    public CompletableFuture<Entries<Lock>> getLockEntries() {
        return pagesFrom(1, new Pages());
    }

    private CompletableFuture<Entries<Lock>> pagesFrom(int page, Pages pages) {
        if (page > MAX_PAGES) {
            return CompletableFuture.failedFuture(new MalformedResponseException(
                    "GET /my/lock kept answering full pages past page " + MAX_PAGES, Endpoint.GET_LOCKS, 200, null));
        }
        return transport.callForList(Endpoint.GET_LOCKS, "GET", "/my/lock?Page=" + page + "&ItemsPerPage=" + pageSize,
                Wire.LockDto.class, WireMapper::lock).thenCompose(batch -> {
                    int fresh = pages.add(batch);
                    int size = batch.readable().size() + batch.unreadable().size();
                    if (size != pageSize || fresh == 0) {
                        return CompletableFuture.completedFuture(pages.entries());
                    }
                    return pagesFrom(page + 1, pages);
                });
    }

    /** What the pages brought so far. Used by one chain at a time: each page is added after the one before. */
    private static final class Pages {
        private final List<Lock> all = new ArrayList<>();
        private final List<UnreadableEntry> unreadable = new ArrayList<>();
        private final Set<Long> seen = new HashSet<>();
        private final Set<UnreadableEntry> seenUnreadable = new HashSet<>();

        /** Adds the entries not seen on an earlier page; returns how many. */
        int add(Entries<Lock> batch) {
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
            return fresh;
        }

        Entries<Lock> entries() {
            return new Entries<>(all, unreadable);
        }
    }

    public CompletableFuture<Lock> getLock(long id) {
        return transport.callForOne(Endpoint.GET_LOCK, "GET", "/my/lock/" + id, Wire.LockDto.class, WireMapper::lock);
    }

    public CompletableFuture<Entries<LockSync>> syncLockEntries() {
        return sync("/my/lock/sync");
    }

    /**
     * {@code GET /my/lock/sync?id=..&id=..}. Ids are de-duplicated; more than {@code idsPerSync} are
     * split into several calls so the query stays under common URL limits (IIS allows 2,048 chars), sent
     * one after the other. No call for no ids.
     */
    public CompletableFuture<Entries<LockSync>> syncLockEntries(Collection<Long> ids) {
        List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        CompletableFuture<Entries<LockSync>> gathered = CompletableFuture.completedFuture(new Entries<>(List.of(), List.of()));
        for (int from = 0; from < unique.size(); from += idsPerSync) {
            String query = unique.subList(from, Math.min(unique.size(), from + idsPerSync)).stream()
                    .map(id -> "id=" + id).collect(Collectors.joining("&"));
            gathered = gathered.thenCompose(before -> sync("/my/lock/sync?" + query).thenApply(batch -> joined(before, batch)));
        }
        return gathered;
    }

    public CompletableFuture<LockSync> syncLock(long id) {
        return transport.callForOne(Endpoint.SYNC_LOCK, "GET", "/my/lock/" + id + "/sync", Wire.LockSyncDto.class,
                WireMapper::lockSync);
    }

    /** {@code mode} is sent for an unlock only, and only when it is not the default. */
    public CompletableFuture<OperationAccepted> operate(long id, OperationType operation, UnlockMode mode) {
        String path = "/my/lock/" + id + "/operation/" + pathOf(operation);
        if (operation == OperationType.UNLOCK && mode != null && mode != UnlockMode.NORMAL) {
            path += "?mode=" + mode.code();
        }
        return transport.callForOne(Endpoint.OPERATE_LOCK, "POST", path, Wire.OperationAcceptedDto.class,
                WireMapper::operationAccepted);
    }

    /** @throws IllegalArgumentException at once for an empty id, before any call */
    public CompletableFuture<DeviceOperation> getOperation(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new IllegalArgumentException("operationId is empty");
        }
        return transport.callForOne(Endpoint.GET_OPERATION, "GET",
                "/my/device/operation/" + URLEncoder.encode(operationId, StandardCharsets.UTF_8),
                Wire.DeviceOperationDto.class, WireMapper::deviceOperation);
    }

    private CompletableFuture<Entries<LockSync>> sync(String pathAndQuery) {
        return transport.callForList(Endpoint.SYNC_LOCKS, "GET", pathAndQuery, Wire.LockSyncDto.class, WireMapper::lockSync);
    }

    private static <T> Entries<T> joined(Entries<T> before, Entries<T> batch) {
        List<T> readable = new ArrayList<>(before.readable());
        readable.addAll(batch.readable());
        List<UnreadableEntry> unreadable = new ArrayList<>(before.unreadable());
        unreadable.addAll(batch.unreadable());
        return new Entries<>(readable, unreadable);
    }

    /** The readable entries; one WARN line per unreadable one (which lock, why), so a skipped lock is never silent. */
    public static <T> List<T> readableLogged(Endpoint endpoint, Entries<T> entries) {
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
