package io.tedeesync.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tedeesync.simulator.WebhookDelivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhooks: one POST per event, receiving user and registered URL, through the injected
 * executor. Failures are recorded and logged as a WARN line, never thrown and never retried.
 *
 * <p>Thread-safe. The world queues events under its monitor ({@link #enqueue} only queues); they
 * leave in {@link #deliverPending(boolean)}, after that monitor is released. A small lock makes them
 * leave in the order they happened. It is held while handing deliveries to the executor: with the
 * default asynchronous executor that is a queue offer, with a synchronous one (tests) it is the
 * POST itself. That is on purpose: it guards nothing but the order of deliveries, and it lets a
 * waiting caller ({@code TedeeSimulator.advance()}) return only once everything due has been
 * delivered, even when the background ticker happened to pick the events up first. Callers on HTTP
 * threads do not wait for it (a receiver calling back into the simulator must not deadlock).
 */
final class WebhookDispatcher implements WebhookSink {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Outgoing(WebhookEvent event, List<String> userIdentities, List<URI> targets) {}

    private final Clock clock;
    private final Executor executor;
    private final ObjectMapper json = new ObjectMapper();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock inOrder = new ReentrantLock();
    private final List<URI> targets = new CopyOnWriteArrayList<>();
    private final List<WebhookDelivery> deliveries = new ArrayList<>();
    private volatile HttpClient http;

    WebhookDispatcher(Clock clock, Executor executor) {
        this.clock = clock;
        this.executor = executor;
    }

    void register(URI target) {
        Objects.requireNonNull(target, "target");
        if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
            throw new IllegalArgumentException("A webhook URL is http or https");
        }
        targets.add(target);
    }

    @Override
    public void enqueue(WebhookEvent event, List<String> userIdentities) {
        if (!targets.isEmpty()) {
            outbox.add(new Outgoing(event, userIdentities, List.copyOf(targets)));
        }
    }

    /**
     * Hands every queued webhook to the executor, in order.
     *
     * @param awaitOthers wait while another thread is handing deliveries over, so that on return
     *     nothing queued before this call is still on its way to the executor
     */
    void deliverPending(boolean awaitOthers) {
        do {
            if (awaitOthers) {
                inOrder.lock(); // also waits out a batch another thread is still handing over
            } else if (!inOrder.tryLock()) {
                return; // whoever holds it drains the queue, including what we queued
            }
            try {
                Outgoing outgoing;
                while ((outgoing = outbox.poll()) != null) {
                    for (URI target : outgoing.targets()) {
                        for (String userIdentity : outgoing.userIdentities()) {
                            WebhookEvent event = outgoing.event();
                            executor.execute(() -> send(event, userIdentity, target));
                        }
                    }
                }
            } finally {
                inOrder.unlock();
            }
            // Again if something was queued between our last poll and the unlock: no one else may send it.
        } while (!outbox.isEmpty());
    }

    List<WebhookDelivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    private void send(WebhookEvent event, String userIdentity, URI target) {
        Instant sentAt = clock.instant();
        String body = body(event, userIdentity, sentAt);
        int status = 0;
        String failure = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            status = client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            log.warn("Webhook {} to {} failed: {}", event.name(), target, failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        synchronized (deliveries) {
            deliveries.add(new WebhookDelivery(sentAt, event.name(), userIdentity, target, status, failure, body));
        }
    }

    private String body(WebhookEvent event, String userIdentity, Instant sentAt) {
        ObjectNode root = json.createObjectNode();
        root.put("event", event.name());
        root.put("timestamp", event instanceof WebhookEvent.BellPressed
                ? WireTime.offsetTicks(sentAt) : WireTime.utc(sentAt));
        root.put("userIdentity", userIdentity);
        event.writeData(root.putObject("data"));
        return root.toString();
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                            .build();
                }
                client = http;
            }
        }
        return client;
    }
}
