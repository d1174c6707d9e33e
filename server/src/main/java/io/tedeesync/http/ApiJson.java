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

    /** How long a client is asked to wait after the store could not be read. */
    static final int STORE_RETRY_AFTER_SECONDS = 5;

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
        sendTagged(ctx, writeBytes(body));
    }

    /**
     * Sends JSON bytes as {@link #sendTagged(Context, Object)} does (a relayed answer's, say). The tag is weak
     * ({@code W/"..."}): Javalin gzips an answer of 1,500 bytes or more for a client that accepts it, and the
     * same tag then names two codings of the same content, which only a weak tag may (RFC 9110 8.8.1); the
     * {@code If-None-Match} comparison is the weak one anyway. {@code Vary: Accept-Encoding}, on the 304 too
     * (RFC 9110 15.4.5), keeps a shared cache from giving the gzip bytes to a client that did not ask for them.
     */
    static void sendTagged(Context ctx, byte[] json) {
        String etag = EntityTag.of(json);
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Vary", "Accept-Encoding");
        if (EntityTag.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType("application/json").result(json);
    }

    /**
     * {@code 503 store_unavailable} with a {@code Retry-After}: the store could not be read for this answer.
     * Expected trouble (a database restarting, a network cut), so one WARN line on the route's logger and no
     * stack trace; {@code /health} tells the rest.
     */
    static void storeUnavailable(Context ctx, org.slf4j.Logger log, String what, io.tedeesync.store.StoreException failure) {
        log.warn("{}: {}", what, failure.getMessage());
        ctx.header("Retry-After", Integer.toString(STORE_RETRY_AFTER_SECONDS));
        error(ctx, 503, "store_unavailable", "the store could not be read; retry in " + STORE_RETRY_AFTER_SECONDS + " s");
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
