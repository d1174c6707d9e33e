package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer, plus what the request log needs to know about it: whether it was a sync made too
 * soon, and the account a token request turned out to be for. Immutable.
 *
 * @param dropped close the connection instead of answering
 */
record Response(int status, byte[] body, Map<String, String> headers, boolean syncTooSoon, String account,
        boolean dropped) {

    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String HTML_TYPE = "text/html; charset=utf-8";
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", JSON_TYPE);
    // A sign-in page carries a state and a PKCE challenge: no cache keeps it.
    private static final Map<String, String> HTML_HEADERS = Map.of("Content-Type", HTML_TYPE, "Cache-Control", "no-store");

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, JsonNode body) {
        return raw(status, WireJson.write(body));
    }

    /** JSON already written as UTF-8 bytes. */
    static Response json(int status, byte[] json) {
        return new Response(status, json, JSON_HEADERS, false, null, false);
    }

    static Response raw(int status, String json) {
        return new Response(status, json.getBytes(StandardCharsets.UTF_8), JSON_HEADERS, false, null, false);
    }

    /** The success envelope around a result. */
    static Response ok(int status, JsonNode result) {
        return json(status, WireJson.envelope(status, result));
    }

    /** The error envelope with one message. */
    static Response error(int status, String message) {
        return json(status, WireJson.errorEnvelope(status, message));
    }

    static Response html(int status, String html) {
        return new Response(status, html.getBytes(StandardCharsets.UTF_8), HTML_HEADERS, false, null, false);
    }

    /** A 302 to {@code location}, with no body. */
    static Response redirect(String location) {
        return new Response(302, new byte[0], Map.of("Location", location, "Cache-Control", "no-store"), false, null,
                false);
    }

    static Response drop() {
        return new Response(0, new byte[0], Map.of(), false, null, true);
    }

    Response withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, body, more, syncTooSoon, account, dropped);
    }

    Response withSyncTooSoon(boolean tooSoon) {
        return new Response(status, body, headers, tooSoon, account, dropped);
    }

    Response withAccount(String accountName) {
        return new Response(status, body, headers, syncTooSoon, accountName, dropped);
    }
}
