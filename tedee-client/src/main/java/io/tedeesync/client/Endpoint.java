package io.tedeesync.client;

/** The API calls this client makes; used in errors and by {@link RequestListener} (metrics, request budgets). */
public enum Endpoint {
    GET_LOCKS("GET /my/lock"),
    GET_LOCK("GET /my/lock/{id}"),
    SYNC_LOCKS("GET /my/lock/sync"),
    SYNC_LOCK("GET /my/lock/{id}/sync"),
    OPERATE_LOCK("POST /my/lock/{id}/operation/{operation}"),
    GET_OPERATION("GET /my/device/operation/{operationId}");

    private final String template;

    Endpoint(String template) {
        this.template = template;
    }

    /** Method and path template, e.g. {@code GET /my/lock/{id}/sync}: safe for logs and metric labels. */
    public String template() {
        return template;
    }
}
