package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every route, parameter, answer and error, written by hand
 * beside this class ({@value #RESOURCE}) and held to the routes and to the real answers by the tests. Outside
 * {@code /api/}, so it needs no token: it holds no secret, only the shape of the API. Answers with an {@code ETag}
 * and {@code 304} for a copy the caller has, as the lock views do, and lets a viewer served from elsewhere (a Swagger
 * UI, an editor) read it. The document is read once, when the service starts, so a jar without it fails at start,
 * not at the first request. Immutable, thread-safe.
 */
final class OpenApiRoute {
    static final String PATH = "/openapi.json";
    static final String RESOURCE = "/io/tedeesync/http/openapi.json";

    private final byte[] document;
    private final String etag;

    OpenApiRoute() {
        this.document = load();
        this.etag = EntityTag.of(document);
    }

    void register(RoutesConfig routes) {
        routes.get(PATH, this::serve);
    }

    private void serve(Context ctx) {
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Access-Control-Allow-Origin", "*");
        if (EntityTag.matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType("application/json").result(document);
    }

    static byte[] load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }
}
