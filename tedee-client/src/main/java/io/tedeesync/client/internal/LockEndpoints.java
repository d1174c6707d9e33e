package io.tedeesync.client.internal;

import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.Endpoint;
import io.tedeesync.client.Lock;
import io.tedeesync.client.LockSync;
import io.tedeesync.client.MalformedResponseException;
import io.tedeesync.client.OperationAccepted;
import io.tedeesync.client.OperationType;
import io.tedeesync.client.UnlockMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The lock and device-operation endpoints, on top of {@link ApiTransport}. Thread-safe and immutable. */
public final class LockEndpoints {
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
     * lock or more than asked for (a server that ignores paging answers everything every time).
     */
    public List<Lock> getLocks() {
        List<Lock> all = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            List<Wire.LockDto> batch = transport.call(Endpoint.GET_LOCKS, "GET",
                    "/my/lock?Page=" + page + "&ItemsPerPage=" + pageSize, ApiTransport.listOf(Wire.LockDto.class));
            int fresh = 0;
            for (Lock lock : ApiTransport.mapAll(Endpoint.GET_LOCKS, batch, WireMapper::lock)) {
                if (seen.add(lock.id())) {
                    all.add(lock);
                    fresh++;
                }
            }
            if (batch.size() != pageSize || fresh == 0) {
                return all;
            }
        }
        throw new MalformedResponseException("GET /my/lock kept answering full pages past page " + MAX_PAGES,
                Endpoint.GET_LOCKS, 200, null);
    }

    public Lock getLock(long id) {
        Wire.LockDto dto = transport.call(Endpoint.GET_LOCK, "GET", "/my/lock/" + id, ApiTransport.type(Wire.LockDto.class));
        return ApiTransport.mapOne(Endpoint.GET_LOCK, dto, WireMapper::lock);
    }

    public List<LockSync> syncLocks() {
        return sync("/my/lock/sync");
    }

    /**
     * {@code GET /my/lock/sync?id=..&id=..}. Ids are de-duplicated; more than {@code idsPerSync} are
     * split into several calls so the query stays under common URL limits (IIS allows 2,048 chars).
     */
    public List<LockSync> syncLocks(Collection<Long> ids) {
        List<Long> unique = new ArrayList<>(new LinkedHashSet<>(ids));
        List<LockSync> result = new ArrayList<>(unique.size());
        for (int from = 0; from < unique.size(); from += idsPerSync) {
            List<Long> chunk = unique.subList(from, Math.min(unique.size(), from + idsPerSync));
            result.addAll(sync("/my/lock/sync?" + chunk.stream().map(id -> "id=" + id).collect(Collectors.joining("&"))));
        }
        return result;
    }

    public LockSync syncLock(long id) {
        Wire.LockSyncDto dto = transport.call(Endpoint.SYNC_LOCK, "GET", "/my/lock/" + id + "/sync",
                ApiTransport.type(Wire.LockSyncDto.class));
        return ApiTransport.mapOne(Endpoint.SYNC_LOCK, dto, WireMapper::lockSync);
    }

    public OperationAccepted operate(long id, OperationType operation, UnlockMode mode) {
        String path = "/my/lock/" + id + "/operation/" + pathOf(operation);
        if (mode != null && mode != UnlockMode.NORMAL) {
            path += "?mode=" + mode.code();
        }
        Wire.OperationAcceptedDto dto = transport.call(Endpoint.OPERATE_LOCK, "POST", path,
                ApiTransport.type(Wire.OperationAcceptedDto.class));
        return ApiTransport.mapOne(Endpoint.OPERATE_LOCK, dto, WireMapper::operationAccepted);
    }

    public DeviceOperation getOperation(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new IllegalArgumentException("operationId is empty");
        }
        Wire.DeviceOperationDto dto = transport.call(Endpoint.GET_OPERATION, "GET",
                "/my/device/operation/" + URLEncoder.encode(operationId, StandardCharsets.UTF_8),
                ApiTransport.type(Wire.DeviceOperationDto.class));
        return ApiTransport.mapOne(Endpoint.GET_OPERATION, dto, WireMapper::deviceOperation);
    }

    private List<LockSync> sync(String pathAndQuery) {
        List<Wire.LockSyncDto> batch = transport.call(Endpoint.SYNC_LOCKS, "GET", pathAndQuery,
                ApiTransport.listOf(Wire.LockSyncDto.class));
        return ApiTransport.mapAll(Endpoint.SYNC_LOCKS, batch, WireMapper::lockSync);
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
