package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.simulator.Fault;
import java.util.Optional;

/**
 * Spoils one element of a get-all or sync result for a {@link Fault.BadElement}, leaving the rest of
 * the answer correct. Stateless.
 */
final class BadElements {

    /** February has no 30th: a date no parser may accept. */
    static final String IMPOSSIBLE_DATE = "2026-02-30T10:00:00Z";

    private BadElements() {}

    /** Spoils the element the fault aims at, if this account's waiting fault applies to the result. */
    static void play(Simulation simulation, String account, ArrayNode result, String stateField) {
        simulation.faults()
                .takeBadElement(account, fault -> target(result, fault, stateField).isPresent())
                .ifPresent(fault -> spoil(target(result, fault, stateField).orElseThrow(), fault.defect(), stateField));
    }

    /** The element the fault would spoil: its lock's, or the first that can carry the defect. */
    private static Optional<ObjectNode> target(ArrayNode result, Fault.BadElement fault, String stateField) {
        for (JsonNode element : result) {
            boolean aimedAt = fault.lockId() == null || element.path("id").asLong() == fault.lockId();
            if (aimedAt && canCarry(element, fault.defect(), stateField)) {
                return Optional.of((ObjectNode) element);
            }
        }
        return Optional.empty();
    }

    private static boolean canCarry(JsonNode element, Fault.Defect defect, String stateField) {
        return defect != Fault.Defect.IMPOSSIBLE_DATE || element.path(stateField).isObject();
    }

    private static void spoil(ObjectNode element, Fault.Defect defect, String stateField) {
        switch (defect) {
            case IMPOSSIBLE_DATE -> ((ObjectNode) element.get(stateField)).put("lastStateChangedDate", IMPOSSIBLE_DATE);
            case WRONG_TYPE -> element.put("isConnected", "yes");
            default -> throw new IllegalStateException("no such defect: " + defect);
        }
    }
}
