package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /my/lock}, {@code /my/lock/{id}}, {@code /my/lock/sync} and {@code /my/lock/{id}/sync}.
 * Stateless apart from the simulation it reads; thread-safe.
 */
final class LockApi {

    private final Simulation simulation;

    LockApi(Simulation simulation) {
        this.simulation = simulation;
    }

    /** All the account's locks by id; {@code Page} (1-based) and {@code ItemsPerPage} page them. */
    Response getAll(Call call) {
        List<LockView> locks = simulation.world().locksOf(call.account());
        Optional<Integer> perPage = call.query().integer("ItemsPerPage");
        if (perPage.isPresent()) {
            int page = call.query().integer("Page").orElse(1);
            if (page < 1 || perPage.get() < 1) {
                throw new BadRequest("Page and ItemsPerPage start at 1");
            }
            long from = (long) (page - 1) * perPage.get();
            locks = from >= locks.size()
                    ? List.of()
                    : locks.subList((int) from, (int) Math.min(locks.size(), from + perPage.get()));
        }
        return listAnswer(call, locks, WireJson::lock, call.version().lockStateField());
    }

    Response getSingle(Call call) {
        long id = call.idParam("id");
        return simulation.world().lockOf(call.account(), id)
                .map(lock -> Response.json(200, WireJson.envelopeOf(200, lock, call.version(), WireJson::lock)))
                .orElseGet(() -> notFound(call.param("id")));
    }

    /** All locks, or those named by repeated {@code id=} (unknown ones are skipped). */
    Response syncAll(Call call) {
        List<String> rawIds = call.query().all("id");
        List<LockView> locks = simulation.world().locksOf(call.account());
        if (!rawIds.isEmpty()) {
            Set<Long> wanted = new HashSet<>();
            for (String rawId : rawIds) {
                try {
                    wanted.add(Long.parseLong(rawId.trim()));
                } catch (NumberFormatException e) {
                    throw new BadRequest("The value '" + rawId + "' is not valid for id");
                }
            }
            locks = locks.stream().filter(lock -> wanted.contains(lock.id())).toList();
        }
        return listAnswer(call, locks, WireJson::sync, call.version().syncStateField());
    }

    Response syncSingle(Call call) {
        long id = call.idParam("id");
        Optional<LockView> lock = simulation.world().lockOf(call.account(), id);
        if (lock.isEmpty()) {
            return notFound(call.param("id"));
        }
        return Response.json(200, WireJson.envelopeOf(200, lock.get(), call.version(), WireJson::sync));
    }

    /**
     * The list in its envelope, written straight to bytes; when a bad-element fault waits for this
     * account the answer is read back as a tree for {@link BadElements} to spoil one element (rare, so
     * the everyday answer pays nothing for it).
     */
    private Response listAnswer(Call call, List<LockView> locks, WireJson.ElementWriter element, String stateField) {
        byte[] answer = WireJson.envelopeOfArray(200, locks, call.version(), element);
        if (!simulation.faults().hasBadElement(call.account())) {
            return Response.json(200, answer);
        }
        ArrayNode result = WireJson.resultArray(answer);
        BadElements.play(simulation, call.account(), result, stateField);
        return Response.ok(200, result);
    }

    static Response notFound(String id) {
        return Response.error(404, "Lock with id " + id + " was not found");
    }
}
