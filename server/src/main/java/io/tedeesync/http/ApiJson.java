package io.tedeesync.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** JSON in and out, the same way on every route; errors as {@code {"error": ..., "message": ...}}. Stateless. */
final class ApiJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ApiJson() {
    }

    static void send(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(write(body));
    }

    /**
     * Sends a view that pollers ask for again and again ({@code /api/locks}, {@code /api/summary}, a lock's
     * history) with an {@code ETag} of its bytes: a request whose {@code If-None-Match} names that tag gets
     * {@code 304} and no body. The tag is a hash of the answer itself, so it changes exactly when the
     * answer does, whatever changed it (an event, a lock turning stale with time, another instance's write).
     */
    static void sendTagged(Context ctx, Object body) {
        byte[] bytes = writeBytes(body);
        String etag = EntityTag.of(bytes);
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        if (EntityTag.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType("application/json").result(bytes);
    }

    /** Sends JSON text that is already encoded (events as stored). */
    static void sendRaw(Context ctx, int status, String json) {
        ctx.status(status).contentType("application/json").result(json);
    }

    static void error(Context ctx, int status, String error, String message) {
        send(ctx, status, Map.of("error", error, "message", message));
    }

    /**
     * The request's body: a JSON object with no field but {@code allowed}.
     *
     * @param invalid the route's own 400 exception for a message
     */
    static JsonNode body(Context ctx, Set<String> allowed, Function<String, ? extends RuntimeException> invalid) {
        JsonNode body;
        try {
            body = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw invalid.apply("the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw invalid.apply("the body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw invalid.apply("unknown field '" + field.replaceAll("[^A-Za-z0-9_]", "?") + "' (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return body;
    }

    static byte[] writeBytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
