package io.tedeesync.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tedeesync.client.Entries;
import io.tedeesync.client.UnreadableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the elements of a result into domain records: each element on its own, through its wire DTO
 * and {@link WireMapper}. In a list, an element that cannot be read becomes an {@link UnreadableEntry}
 * beside the others; a single result is all or nothing. Stateless.
 */
final class EntryReader {
    private EntryReader() {
    }

    static <D, R> Entries<R> readAll(List<EnvelopeReader.RawEntry> elements, Class<D> wireType, Function<D, R> mapper) {
        List<R> readable = new ArrayList<>(elements.size());
        List<UnreadableEntry> unreadable = new ArrayList<>();
        for (EnvelopeReader.RawEntry element : elements) {
            if (element.problem() != null) {
                unreadable.add(unreadable(element.node(), element.problem()));
                continue;
            }
            try {
                readable.add(readOne(element.node(), wireType, mapper));
            } catch (WireFormatException e) {
                unreadable.add(unreadable(element.node(), e.getMessage()));
            }
        }
        return new Entries<>(readable, unreadable);
    }

    /** @throws WireFormatException saying which field is wrong and why */
    static <D, R> R readOne(JsonNode element, Class<D> wireType, Function<D, R> mapper) {
        if (element == null || element.isNull()) {
            throw new WireFormatException("the entry is null");
        }
        if (!element.isObject()) {
            throw new WireFormatException("the entry is " + Reasons.describe(element) + ", not an object");
        }
        D dto;
        try {
            dto = EnvelopeReader.STRICT.treeToValue(element, wireType);
        } catch (JsonMappingException e) {
            throw new WireFormatException(Reasons.binding(e, element), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireFormatException("the entry could not be read (" + e.getClass().getSimpleName() + ")", e);
        }
        return mapper.apply(dto);
    }

    /** What could be read of an element that could not be read as a whole. */
    private static UnreadableEntry unreadable(JsonNode element, String reason) {
        Long id = null;
        String serial = null;
        if (element != null && element.isObject()) {
            JsonNode idNode = element.get("id");
            if (idNode != null && idNode.isIntegralNumber() && idNode.canConvertToLong()) {
                id = idNode.asLong();
            } else if (idNode != null && idNode.isTextual()) {
                id = parseLong(idNode.asText());
            }
            JsonNode serialNode = element.get("serialNumber");
            if (serialNode != null && serialNode.isTextual() && !serialNode.asText().isBlank()) {
                serial = serialNode.asText();
            }
        }
        return new UnreadableEntry(id, serial, reason);
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
