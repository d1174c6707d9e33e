package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

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

    /** Writes one element of an answer. */
    interface ElementWriter {
        void write(JsonGenerator json, LockView lock, ApiVersion version) throws IOException;
    }

    /**
     * The success envelope around an array of elements, written straight to bytes: no tree per lock, and
     * nothing held while writing (the views are copies). The same text as {@link #envelope} around the
     * elements' trees.
     */
    static byte[] envelopeOfArray(int status, List<LockView> locks, ApiVersion version, ElementWriter element) {
        return write(96 + 256 * locks.size(), json -> {
            json.writeStartObject();
            json.writeFieldName("result");
            json.writeStartArray();
            for (LockView lock : locks) {
                element.write(json, lock, version);
            }
            json.writeEndArray();
            envelopeTail(json, status);
        });
    }

    /** The success envelope around one element. */
    static byte[] envelopeOf(int status, LockView lock, ApiVersion version, ElementWriter element) {
        return write(512, json -> {
            json.writeStartObject();
            json.writeFieldName("result");
            element.write(json, lock, version);
            envelopeTail(json, status);
        });
    }

    /** An answer's {@code result} read back as a tree, for a fault that spoils one element of it. */
    static ArrayNode resultArray(byte[] envelope) {
        try {
            return (ArrayNode) JSON.readTree(envelope).get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void envelopeTail(JsonGenerator json, int status) throws IOException {
        json.writeBooleanField("success", true);
        json.writeFieldName("errorMessages");
        json.writeStartArray();
        json.writeEndArray();
        json.writeNumberField("statusCode", status);
        json.writeEndObject();
    }

    /** The Lock model (datastructures/lock.rst, endpoints/lock/get-all.rst). */
    static void lock(JsonGenerator json, LockView lock, ApiVersion version) throws IOException {
        json.writeStartObject();
        json.writeFieldName("deviceSettings");
        json.writeStartObject();
        for (Map.Entry<String, Object> setting : lock.settings().entrySet()) {
            json.writeFieldName(setting.getKey());
            json.writeObject(setting.getValue());
        }
        json.writeEndObject();
        json.writeFieldName(version.lockStateField());
        state(json, lock);
        json.writeNullField("beaconMajor");
        json.writeNullField("beaconMinor");
        json.writeStringField("timeZone", "Europe/Warsaw");
        json.writeNumberField("id", lock.id());
        if (lock.connectedToId() == null) {
            json.writeNullField("connectedToId");
        } else {
            json.writeNumberField("connectedToId", lock.connectedToId());
        }
        json.writeStringField("serialNumber", lock.serialNumber());
        json.writeStringField("name", lock.name());
        json.writeStringField("userIdentity", lock.ownerIdentity());
        json.writeNumberField("type", lock.type());
        json.writeStringField("created", WireTime.localSeconds(lock.created()));
        json.writeNumberField("revision", lock.revision());
        json.writeNumberField("deviceRevision", lock.deviceRevision());
        json.writeNumberField("targetDeviceRevision", lock.targetDeviceRevision());
        json.writeBooleanField("isConnected", lock.connected());
        json.writeNumberField("accessLevel", lock.accessLevel());
        json.writeNullField("accessDetails");
        json.writeNullField("organizationId");
        if (version.lockHasOrganizationName()) {
            json.writeNullField("organizationName");
            json.writeNullField("organizationSlug");
        }
        if (version.lockHasAccessories()) {
            json.writeFieldName("accessories");
            json.writeStartArray();
            json.writeEndArray();
        } else {
            json.writeNullField("connectedToKeypadId");
            json.writeNullField("connectedToDryContactId");
        }
        json.writeFieldName("softwareVersions");
        json.writeStartArray();
        json.writeStartObject();
        json.writeNumberField("softwareType", 0);
        json.writeStringField("version", FIRMWARE);
        json.writeBooleanField("updateAvailable", false);
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The Lock sync model (datastructures/lock-sync.rst); {@code revision} from v1.33 on. */
    static void sync(JsonGenerator json, LockView lock, ApiVersion version) throws IOException {
        json.writeStartObject();
        json.writeNumberField("id", lock.id());
        json.writeBooleanField("isConnected", lock.connected());
        json.writeFieldName(version.syncStateField());
        state(json, lock);
        if (version.syncHasRevision()) {
            json.writeNumberField("revision", lock.revision());
        }
        json.writeEndObject();
    }

    /** The state object (datastructures/lock-state.rst); null while the lock is offline, its position unknown. */
    private static void state(JsonGenerator json, LockView lock) throws IOException {
        if (!lock.connected()) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeNumberField("state", lock.state());
        json.writeNumberField("doorState", lock.doorState());
        json.writeBooleanField("isCharging", lock.charging());
        json.writeNumberField("batteryLevel", lock.batteryLevel());
        json.writeNumberField("stateChangeResult", lock.stateChangeResult());
        json.writeStringField("lastStateChangedDate", WireTime.utc(lock.lastStateChangedDate()));
        json.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
