package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.RequestCounts;
import io.tedeesync.simulator.SimLock;
import io.tedeesync.simulator.WebhookDelivery;
import java.io.UncheckedIOException;

/**
 * The JSON shapes of the Tedee API, written field by field from the docs (datastructures/*.rst and
 * the endpoint samples) rather than from shared classes, so that a client tested against the
 * simulator is tested against the documented wire format. Also the control API's own shapes.
 *
 * <p>Stateless and thread-safe.
 */
final class WireJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIRMWARE = "2.4.13145";

    private WireJson() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode envelope(int status, JsonNode result) {
        ObjectNode envelope = object();
        envelope.set("result", result == null ? NullNode.getInstance() : result);
        envelope.put("success", true);
        envelope.putArray("errorMessages");
        envelope.put("statusCode", status);
        return envelope;
    }

    static ObjectNode errorEnvelope(int status, String message) {
        ObjectNode envelope = object();
        envelope.putNull("result");
        envelope.put("success", false);
        envelope.putArray("errorMessages").add(message);
        envelope.put("statusCode", status);
        return envelope;
    }

    /** The Lock model (datastructures/lock.rst, endpoints/lock/get-all.rst). */
    static ObjectNode lock(LockView lock, ApiVersion version) {
        ObjectNode node = object();
        node.set("deviceSettings", tree(lock.settings()));
        node.set(version.lockStateField(), state(lock));
        node.putNull("beaconMajor");
        node.putNull("beaconMinor");
        node.put("timeZone", "Europe/Warsaw");
        node.put("id", lock.id());
        if (lock.connectedToId() == null) {
            node.putNull("connectedToId");
        } else {
            node.put("connectedToId", lock.connectedToId());
        }
        node.put("serialNumber", lock.serialNumber());
        node.put("name", lock.name());
        node.put("userIdentity", lock.ownerIdentity());
        node.put("type", lock.type());
        node.put("created", WireTime.localSeconds(lock.created()));
        node.put("revision", lock.revision());
        node.put("deviceRevision", lock.deviceRevision());
        node.put("targetDeviceRevision", lock.targetDeviceRevision());
        node.put("isConnected", lock.connected());
        node.put("accessLevel", lock.accessLevel());
        node.putNull("accessDetails");
        node.putNull("organizationId");
        if (version.lockHasOrganizationName()) {
            node.putNull("organizationName");
            node.putNull("organizationSlug");
        }
        if (version.lockHasAccessories()) {
            node.putArray("accessories");
        } else {
            node.putNull("connectedToKeypadId");
            node.putNull("connectedToDryContactId");
        }
        node.putArray("softwareVersions").addObject()
                .put("softwareType", 0).put("version", FIRMWARE).put("updateAvailable", false);
        return node;
    }

    /** The Lock sync model (datastructures/lock-sync.rst); {@code revision} from v1.33 on. */
    static ObjectNode sync(LockView lock, ApiVersion version) {
        ObjectNode node = object();
        node.put("id", lock.id());
        node.put("isConnected", lock.connected());
        node.set(version.syncStateField(), state(lock));
        if (version.syncHasRevision()) {
            node.put("revision", lock.revision());
        }
        return node;
    }

    /** The state object (datastructures/lock-state.rst); null while the lock is offline, its position unknown. */
    static JsonNode state(LockView lock) {
        if (!lock.connected()) {
            return NullNode.getInstance();
        }
        return object()
                .put("state", lock.state())
                .put("doorState", lock.doorState())
                .put("isCharging", lock.charging())
                .put("batteryLevel", lock.batteryLevel())
                .put("stateChangeResult", lock.stateChangeResult())
                .put("lastStateChangedDate", WireTime.utc(lock.lastStateChangedDate()));
    }

    static ObjectNode operationStarted(Operations.Started started) {
        return object()
                .put("operationId", started.operationId())
                .put("lastStateChangedDate", WireTime.utc(started.lastStateChangedDate()));
    }

    static ObjectNode operationStatus(Operations.Status status) {
        ObjectNode node = object().put("deviceId", status.deviceId()).put("operationId", status.operationId());
        if (status.result() == null) {
            node.putNull("result");
        } else {
            node.put("result", status.result());
        }
        return node.put("status", status.completed() ? "COMPLETED" : "PENDING").put("type", status.type());
    }

    // ---- control API shapes (ours, not Tedee's)

    static ObjectNode snapshot(SimLock lock) {
        ObjectNode node = object()
                .put("id", lock.id())
                .put("serialNumber", lock.serialNumber())
                .put("name", lock.name())
                .put("type", lock.type())
                .put("state", lock.stateCode())
                .put("doorState", lock.doorStateCode())
                .put("batteryLevel", lock.batteryLevel())
                .put("isCharging", lock.charging())
                .put("isConnected", lock.connected())
                .put("revision", lock.revision())
                .put("lastStateChangedDate", WireTime.utc(lock.lastStateChangedDate()))
                .put("present", lock.present());
        node.set("deviceSettings", tree(lock.deviceSettings()));
        return node;
    }

    static ObjectNode recordedRequest(RecordedRequest request) {
        return object()
                .put("at", WireTime.utc(request.at()))
                .put("account", request.account())
                .put("method", request.method())
                .put("path", request.path())
                .put("query", request.query())
                .put("status", request.status())
                .put("syncTooSoon", request.syncTooSoon());
    }

    static ObjectNode requestCounts(RequestCounts counts) {
        ObjectNode node = object().put("requests", counts.requests()).put("syncCallsTooSoon", counts.syncCallsTooSoon());
        ObjectNode byStatus = node.putObject("byStatus");
        counts.byStatus().forEach((status, count) -> byStatus.put(Integer.toString(status), count));
        ObjectNode byRoute = node.putObject("byRoute");
        counts.byRoute().forEach(byRoute::put);
        return node;
    }

    static ObjectNode delivery(WebhookDelivery delivery) {
        return object()
                .put("at", WireTime.utc(delivery.at()))
                .put("event", delivery.event())
                .put("userIdentity", delivery.userIdentity())
                .put("target", delivery.target().toString())
                .put("status", delivery.status())
                .put("failure", delivery.failure());
    }
}
