package io.tedeesync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, {@code /} ({@code index.html}) and the others of {@link #FILES}, from the jar's
 * {@code /public}, with the dashboard's headers, a weak ETag (with {@code Vary: Accept-Encoding}) and 304 for a
 * copy the browser has.
 *
 * <p>Javalin's static-file handler did the same through Jetty's resource machinery, which mounts the
 * whole 30 MB jar as a file system at start: a fifth of the service's start, for a dozen small files. These are
 * read on first request and kept. Thread-safe.
 */
final class DashboardFiles {
    /** Every file of {@code /public}; a test holds this list to the directory. */
    static final List<String> FILES = List.of("index.html", "app.css", "core.js", "api.js", "fleet-model.js", "lock-card.js",
            "fleet-table.js", "fleet-cards.js", "fleet-view.js", "events.js", "account-strip.js", "accounts.js", "accounts-change.js",
            "live.js", "app.js", "lock-page.css", "charts.js", "lock-page.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "js", "text/javascript;charset=utf-8");

    private final Map<String, String> headers;
    private final Map<String, File> loaded = new ConcurrentHashMap<>();

    private record File(byte[] content, String type, String etag) {
    }

    DashboardFiles(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    void register(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        for (String name : FILES) {
            routes.get("/" + name, ctx -> serve(ctx, name));
        }
    }

    private void serve(Context ctx, String name) {
        File file = loaded.computeIfAbsent(name, DashboardFiles::load);
        headers.forEach(ctx::header);
        ctx.header("ETag", file.etag());
        ctx.header("Vary", "Accept-Encoding"); // gzipped or not under one weak tag: see ApiJson.sendTagged
        if (EntityTag.matches(ctx.header("If-None-Match"), file.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(file.type());
        ctx.result(file.content());
    }

    private static File load(String name) {
        try (InputStream in = DashboardFiles.class.getResourceAsStream("/public/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks /public/" + name);
            }
            byte[] content = in.readAllBytes();
            return new File(content, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), EntityTag.of(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /public/" + name + " from the jar", e);
        }
    }
}
