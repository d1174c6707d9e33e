package io.tedeesync.simulator.internal;

/**
 * {@code POST /my/lock/{id}/operation/{lock|unlock|pull}} and
 * {@code GET /my/device/operation/{operationId}}. Thread-safe.
 */
final class OperationApi {

    private final Simulation simulation;

    OperationApi(Simulation simulation) {
        this.simulation = simulation;
    }

    Response lock(Call call) {
        return operate(call, Operations.Kind.LOCK, Operations.MODE_DEFAULT);
    }

    /** {@code ?mode=} 0 default, 2 force, 3 without auto pull, 4 unlock or pull (enums/unlock-mode.rst). */
    Response unlock(Call call) {
        int mode = call.query().integer("mode").orElse(Operations.MODE_DEFAULT);
        if (!Operations.isUnlockMode(mode)) {
            throw new BadRequest("The value '" + mode + "' is not a valid unlock mode");
        }
        return operate(call, Operations.Kind.UNLOCK, mode);
    }

    Response pull(Call call) {
        return operate(call, Operations.Kind.PULL, Operations.MODE_DEFAULT);
    }

    Response status(Call call) {
        String operationId = call.param("operationId");
        return simulation.world().operation(call.account(), operationId)
                .map(status -> Response.ok(200, WireJson.operationStatus(status)))
                .orElseGet(() -> Response.error(404, "Operation " + operationId + " was not found"));
    }

    private Response operate(Call call, Operations.Kind kind, int mode) {
        long id = call.idParam("id");
        return simulation.world().operate(call.account(), id, kind, mode)
                .map(started -> Response.ok(202, WireJson.operationStarted(started)))
                .orElseGet(() -> LockApi.notFound(call.param("id")));
    }
}
