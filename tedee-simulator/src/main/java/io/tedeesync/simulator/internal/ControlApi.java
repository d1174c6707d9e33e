package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tedeesync.simulator.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The control API of a standalone simulator, {@code /_sim/...}: the same changes as the Java
 * methods of {@code TedeeSimulator}, over HTTP, without authentication. Answers plain JSON (no
 * envelope): the lock after the change, or {@code {"error": "..."}}. Thread-safe.
 */
final class ControlApi {

    private final Simulation simulation;

    ControlApi(Simulation simulation) {
        this.simulation = simulation;
    }

    Response locks(Call call) {
        ArrayNode locks = WireJson.array();
        simulation.world().snapshots().forEach(lock -> locks.add(WireJson.snapshot(lock)));
        return Response.json(200, locks);
    }

    Response state(Call call) {
        int code = intParam(call, "code");
        return onLock(call, (world, serial) -> world.setLockState(serial, code));
    }

    Response door(Call call) {
        int code = intParam(call, "code");
        return onLock(call, (world, serial) -> world.setDoorState(serial, code));
    }

    Response battery(Call call) {
        int level = intParam(call, "level");
        return onLock(call, (world, serial) -> world.setBattery(serial, level));
    }

    Response charging(Call call) {
        boolean on = Boolean.parseBoolean(call.query().required("on"));
        return onLock(call, (world, serial) -> world.setCharging(serial, on));
    }

    Response disconnect(Call call) {
        return onLock(call, (world, serial) -> world.setConnected(serial, false));
    }

    Response reconnect(Call call) {
        return onLock(call, (world, serial) -> world.setConnected(serial, true));
    }

    Response rename(Call call) {
        String name = call.query().required("name");
        return onLock(call, (world, serial) -> world.rename(serial, name));
    }

    Response reAdd(Call call) {
        return onLock(call, World::reAddLock);
    }

    Response remove(Call call) {
        return onLock(call, World::removeLock);
    }

    Response bell(Call call) {
        return onLock(call, World::pressBell);
    }

    /**
     * {@code type=serverError|malformed|slow|drop|rateLimited|rateLimitedRaw|badElement&times=&status=
     * &seconds=&retryAfter=&defect=impossibleDate|wrongType&lockId=&account=}.
     */
    Response faults(Call call) {
        String type = call.query().required("type");
        int times = call.query().integer("times").orElse(1);
        Fault fault = switch (type.toLowerCase(Locale.ROOT)) {
            case "servererror" -> Fault.serverError(call.query().integer("status").orElse(503));
            case "malformed" -> Fault.malformedBody();
            case "slow" -> Fault.slow(seconds(call, 5));
            case "drop" -> Fault.dropConnection();
            case "ratelimited" -> Fault.rateLimited(seconds(call, 60));
            case "ratelimitedraw" -> call.query().first("retryAfter")
                    .map(Fault::rateLimitedRetryAfter).orElseGet(Fault::rateLimitedWithoutRetryAfter);
            case "badelement" -> badElement(call);
            default -> throw new BadRequest("Unknown fault type " + type
                    + "; use serverError, malformed, slow, drop, rateLimited, rateLimitedRaw or badElement");
        };
        simulation.injectFault(fault, times, call.query().first("account").orElse(null));
        return Response.json(200, WireJson.object().put("type", type).put("times", times));
    }

    private static Fault badElement(Call call) {
        String defectName = call.query().required("defect");
        Fault.Defect defect = switch (defectName.toLowerCase(Locale.ROOT)) {
            case "impossibledate" -> Fault.Defect.IMPOSSIBLE_DATE;
            case "wrongtype" -> Fault.Defect.WRONG_TYPE;
            default -> throw new BadRequest("Unknown defect " + defectName + "; use impossibleDate or wrongType");
        };
        Optional<String> lockId = call.query().first("lockId");
        if (lockId.isEmpty()) {
            return Fault.badElement(defect);
        }
        try {
            return Fault.badElement(defect, Long.parseLong(lockId.get().trim()));
        } catch (NumberFormatException e) {
            throw new BadRequest("lockId must be a number");
        }
    }

    Response requests(Call call) {
        ArrayNode requests = WireJson.array();
        simulation.requests().forEach(request -> requests.add(WireJson.recordedRequest(request)));
        return Response.json(200, requests);
    }

    /** The request counters ({@code RequestCounts}): cheap to ask for at any rate, unlike the request log. */
    Response stats(Call call) {
        return Response.json(200, WireJson.requestCounts(simulation.requestCounts()));
    }

    Response registerWebhook(Call call) {
        URI target;
        try {
            target = URI.create(call.query().required("url"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("Not a URL: " + call.query().required("url"));
        }
        simulation.registerWebhook(target);
        return Response.json(200, WireJson.object().put("registered", target.toString()));
    }

    Response webhookDeliveries(Call call) {
        ArrayNode deliveries = WireJson.array();
        simulation.webhookDeliveries().forEach(delivery -> deliveries.add(WireJson.delivery(delivery)));
        return Response.json(200, deliveries);
    }

    /** {@code ?seconds=} mean gap between changes per lock; 0 stops. */
    Response activity(Call call) {
        Duration meanGap = seconds(call, 30);
        simulation.change(world -> {
            world.randomActivity(meanGap);
            return null;
        }, false);
        return Response.json(200, WireJson.object().put("meanGapMillis", meanGap.toMillis()));
    }

    static Response error(int status, String message) {
        return Response.json(status, WireJson.object().put("error", message));
    }

    private Response onLock(Call call, BiConsumer<World, String> change) {
        String serial = call.param("serial");
        if (!simulation.world().hasLock(serial)) {
            return error(404, "No lock with serial " + serial);
        }
        // Not waiting for other deliveries: a webhook receiver may be calling us right now.
        simulation.change(world -> {
            change.accept(world, serial);
            return null;
        }, false);
        return Response.json(200, WireJson.snapshot(simulation.world().snapshot(serial)));
    }

    private static int intParam(Call call, String name) {
        return Query.parseInt(name, call.query().required(name));
    }

    private static Duration seconds(Call call, double fallback) {
        double seconds;
        try {
            seconds = call.query().first("seconds").map(Double::parseDouble).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new BadRequest("seconds must be a number");
        }
        if (seconds < 0) {
            throw new BadRequest("seconds must not be negative");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
