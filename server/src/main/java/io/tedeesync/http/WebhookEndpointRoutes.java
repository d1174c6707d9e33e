package io.tedeesync.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tedeesync.outbound.CreatedEndpoint;
import io.tedeesync.outbound.DeliveryView;
import io.tedeesync.outbound.EndpointChange;
import io.tedeesync.outbound.EndpointDraft;
import io.tedeesync.outbound.EndpointView;
import io.tedeesync.outbound.WebhookEndpointException;
import io.tedeesync.outbound.WebhookEndpoints;
import io.tedeesync.store.AttemptRow;
import io.tedeesync.store.DeliveryRow;
import io.tedeesync.store.WebhookEndpointRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/webhook-endpoints}: list, show, create ({@code POST}: answers the signing secret, once), change
 * ({@code PATCH}), delete, {@code POST .../rotate-secret} (a new secret, once; the old one signs too for 24 h),
 * {@code GET .../deliveries} ({@code ?before=&limit=}) and {@code POST .../deliveries/{deliveryId}/retry}. The
 * admin token guards them ({@link ApiAccess}). Bodies are JSON objects; an unknown field is refused; no answer
 * holds a secret but the one-time {@code secret}. Without outbound webhooks (no key) every route answers 403.
 * Thread-safe.
 */
final class WebhookEndpointRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("url", "eventTypes", "accounts", "description");
    private static final Set<String> CHANGE_FIELDS = Set.of("url", "eventTypes", "accounts", "description", "enabled");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;
    private static final String ONE = ApiAccess.WEBHOOK_ENDPOINTS + "/{id}";

    /** Null when outbound webhooks are off. */
    private final WebhookEndpoints endpoints;

    WebhookEndpointRoutes(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    void register(RoutesConfig routes) {
        routes.get(ApiAccess.WEBHOOK_ENDPOINTS, ctx -> run(ctx, () -> ApiJson.send(ctx, 200,
                endpoints.list().stream().map(WebhookEndpointRoutes::json).toList())));
        routes.post(ApiAccess.WEBHOOK_ENDPOINTS, ctx -> run(ctx, () -> {
            JsonNode body = body(ctx, CREATE_FIELDS);
            CreatedEndpoint created = endpoints.create(new EndpointDraft(text(body, "url"), names(body, "eventTypes"), names(body, "accounts"),
                    text(body, "description")));
            ctx.header("Location", ApiAccess.WEBHOOK_ENDPOINTS + "/" + created.view().endpoint().id());
            ApiJson.send(ctx, 201, json(created));
        }));
        routes.get(ONE, ctx -> run(ctx, () -> ApiJson.send(ctx, 200, json(endpoints.get(ctx.pathParam("id"))))));
        routes.patch(ONE, ctx -> run(ctx, () -> ApiJson.send(ctx, 200, json(endpoints.change(ctx.pathParam("id"),
                change(body(ctx, CHANGE_FIELDS)))))));
        routes.delete(ONE, ctx -> run(ctx, () -> {
            endpoints.delete(ctx.pathParam("id"));
            ctx.status(204);
        }));
        routes.post(ONE + "/rotate-secret", ctx -> run(ctx, () -> ApiJson.send(ctx, 200, json(endpoints.rotateSecret(ctx.pathParam("id"))))));
        routes.get(ONE + "/deliveries", ctx -> run(ctx, () -> deliveries(ctx)));
        routes.post(ONE + "/deliveries/{deliveryId}/retry", ctx -> run(ctx, () -> {
            long deliveryId = number(ctx.pathParam("deliveryId"), "deliveryId", 1, Long.MAX_VALUE);
            DeliveryRow retried = endpoints.retry(ctx.pathParam("id"), deliveryId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", deliveryId);
            answer.put("state", retried.state().name());
            answer.put("nextAttemptAt", retried.nextAttemptAt());
            answer.put("message", (retried.nextAttemptAt() == null ? "one more attempt, after the older delivery of its lock that is "
                    + "still pending" : "one more attempt, now") + "; if it fails, it is retried on the schedule only while the delivery "
                    + "is younger than the retry period (counted from when it was queued), then given up");
            ApiJson.send(ctx, 202, answer);
        }));
    }

    private void run(Context ctx, Runnable route) {
        if (endpoints == null) {
            ApiJson.error(ctx, 403, "webhooks_api_off", "outbound webhooks need an admin token: start the service with --admin-token");
            return;
        }
        try {
            route.run();
        } catch (WebhookEndpointException e) {
            ApiJson.error(ctx, e.reason().status(), e.reason().code(), e.getMessage());
        } catch (io.tedeesync.store.StoreException e) {
            ApiJson.error(ctx, 503, "store_unavailable", "the store could not be read or written; try again shortly");
        }
    }

    private void deliveries(Context ctx) {
        String before = ctx.queryParam("before");
        String limit = ctx.queryParam("limit");
        long beforeId = before == null ? Long.MAX_VALUE : number(before, "before", 1, Long.MAX_VALUE);
        int max = limit == null ? DEFAULT_LIMIT : (int) number(limit, "limit", 1, MAX_LIMIT);
        List<Map<String, Object>> views = new ArrayList<>();
        for (DeliveryView view : endpoints.deliveries(ctx.pathParam("id"), beforeId, max)) {
            views.add(json(view));
        }
        ApiJson.send(ctx, 200, views);
    }

    /** The JSON of one endpoint: never its secrets. */
    static Map<String, Object> json(EndpointView view) {
        WebhookEndpointRow row = view.endpoint();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", row.id());
        fields.put("url", row.url());
        fields.put("description", row.description());
        fields.put("eventTypes", row.eventTypes());
        fields.put("accounts", row.accounts());
        fields.put("enabled", row.enabled());
        fields.put("disabledReason", row.disabledReason());
        fields.put("disabledAt", row.disabledAt());
        fields.put("failingSince", row.failingSince());
        fields.put("previousSecretUntil", row.previousSecretUntil());
        fields.put("createdAt", row.createdAt());
        fields.put("updatedAt", row.updatedAt());
        fields.put("pending", view.pending());
        return fields;
    }

    private static Map<String, Object> json(CreatedEndpoint created) {
        Map<String, Object> fields = json(created.view());
        fields.put("secret", created.secret());
        return fields;
    }

    private static Map<String, Object> json(DeliveryView view) {
        DeliveryRow delivery = view.delivery();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", delivery.eventId());
        fields.put("eventType", delivery.eventType());
        fields.put("state", delivery.state().name());
        fields.put("attempts", delivery.attempts());
        fields.put("nextAttemptAt", delivery.nextAttemptAt());
        fields.put("createdAt", delivery.createdAt());
        fields.put("finishedAt", delivery.finishedAt());
        fields.put("lastStatus", delivery.lastStatus());
        fields.put("lastError", delivery.lastError());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (AttemptRow attempt : view.attempts()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("attempt", attempt.attempt());
            one.put("at", attempt.at());
            one.put("status", attempt.status());
            one.put("latencyMs", attempt.latencyMillis());
            one.put("error", attempt.error());
            attempts.add(one);
        }
        fields.put("attemptsDetail", attempts);
        return fields;
    }

    private static EndpointChange change(JsonNode body) {
        Boolean enabled = null;
        if (body.has("enabled")) {
            if (!body.get("enabled").isBoolean()) {
                throw invalid("enabled must be true or false");
            }
            enabled = body.get("enabled").asBoolean();
        }
        if (body.has("url") && body.get("url").isNull()) {
            throw invalid("url cannot be removed; give a new one");
        }
        return new EndpointChange(text(body, "url"),
                body.has("eventTypes") ? new EndpointChange.Setting<>(names(body, "eventTypes")) : null,
                body.has("accounts") ? new EndpointChange.Setting<>(names(body, "accounts")) : null,
                body.has("description") ? new EndpointChange.Setting<>(text(body, "description")) : null,
                enabled);
    }

    private static JsonNode body(Context ctx, Set<String> allowed) {
        return ApiJson.body(ctx, allowed, WebhookEndpointRoutes::invalid);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return node.asText();
    }

    /** A list of strings, or null when absent or null. */
    private static List<String> names(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw invalid(field + " must be a list of strings, e.g. [\"StateChanged\"]");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(field + " must be a list of strings, e.g. [\"StateChanged\"]");
            }
            names.add(item.asText());
        }
        return names;
    }

    private static long number(String text, String name, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(name + " must be a whole number" + (max == Long.MAX_VALUE ? " of at least " + min
                : " between " + min + " and " + max).toLowerCase(Locale.ROOT));
    }

    private static WebhookEndpointException invalid(String message) {
        return new WebhookEndpointException(WebhookEndpointException.Reason.INVALID, message);
    }
}
