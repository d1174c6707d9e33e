package io.tedeesync.benchmarks.load;

import io.tedeesync.client.webhook.Webhooks;
import io.tedeesync.sync.SyncEngine;
import io.tedeesync.sync.WebhookOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * How a sender delivers one webhook body and learns the answer: over HTTP (the real path), or straight
 * into the engine (to take HTTP out of the measurement). Implementations are thread-safe.
 */
public interface Transport {

    /** An answer: the HTTP status and the service's {@code outcome} (e.g. {@code applied}), or null. */
    record Reply(int status, String outcome) {
    }

    Reply post(byte[] body) throws IOException, InterruptedException;

    /** POSTs to a URL with the blocking {@link HttpClient#send} (see {@link LoadDriver} for why not {@code sendAsync}). */
    static Transport http(HttpClient client, URI target, Duration timeout) {
        return body -> {
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), outcome(response.body()));
        };
    }

    /** POSTs to a path of 127.0.0.1 with {@link SocketClient}, one keep-alive connection per sender thread. */
    static Transport socket(SocketClient client) {
        return client::post;
    }

    /**
     * What the webhook route does after reading the body, without HTTP: parse, then
     * {@link SyncEngine#acceptWebhook}, which returns once the change reached the listeners (the store
     * first). Answers as the route does: 503 when the change was not written, else 200 with the outcome.
     */
    static Transport engine(SyncEngine engine) {
        return body -> {
            WebhookOutcome outcome = engine.acceptWebhook(Webhooks.parse(body));
            int status = outcome == WebhookOutcome.NOT_DELIVERED ? 503 : 200;
            return new Reply(status, outcome.name().toLowerCase(Locale.ROOT));
        };
    }

    /** The {@code outcome} of the service's answer {@code {"outcome":"applied"}}, without a JSON parser on the client. */
    static String outcome(String body) {
        String key = "\"outcome\":\"";
        int start = body == null ? -1 : body.indexOf(key);
        int end = start < 0 ? -1 : body.indexOf('"', start + key.length());
        return end < 0 ? null : body.substring(start + key.length(), end);
    }
}
