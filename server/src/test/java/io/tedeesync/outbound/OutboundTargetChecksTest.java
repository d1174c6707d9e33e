package io.tedeesync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tedeesync.store.DeliveryRow;
import io.tedeesync.store.DeliveryState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The target check before each attempt, with an injected resolver and a real receiver on loopback (the resolver
 * tells the policy it is a public address, as a public host's DNS would): a host that never resolves holds only its
 * own endpoint and ends within the attempt's time; verdicts are shared for a while; the client speaks plain HTTP/1.1.
 */
class OutboundTargetChecksTest {
    private static final String HANGING_HOST = "hangs.example.com";
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

    private final CountDownLatch releaseDns = new CountDownLatch(1);
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private HttpServer receiver;
    private WebhookSender sender;

    @BeforeEach
    void receiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                requests.add(Map.copyOf(exchange.getRequestHeaders()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void close() {
        releaseDns.countDown();
        if (sender != null) {
            sender.close();
        }
        receiver.stop(0);
    }

    private InetAddress[] resolve(String host) throws UnknownHostException {
        lookups.computeIfAbsent(host, key -> new AtomicInteger()).incrementAndGet();
        if (host.equals(HANGING_HOST)) {
            try {
                releaseDns.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
    }

    private WebhookSender sender(Duration timeout) {
        TargetChecks checks = new TargetChecks(new TargetPolicy(false, this::resolve), nanos::get);
        sender = new WebhookSender(checks, timeout, Clock.fixed(NOW, ZoneOffset.UTC));
        return sender;
    }

    private static DeliveryRow delivery(String endpointId, long eventId) {
        return new DeliveryRow(endpointId, eventId, "StateChanged", "SN-" + eventId, "{\"n\":" + eventId + "}", DeliveryState.PENDING, 0,
                NOW, NOW, null, null, null);
    }

    private URI quick() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
    }

    private URI hanging() {
        return URI.create("http://" + HANGING_HOST + ":" + receiver.getAddress().getPort() + "/hooks");
    }

    @Test
    void aHostThatNeverResolvesDoesNotDelayAnotherEndpointAndIsLookedUpOnce() {
        WebhookSender sender = sender(Duration.ofMinutes(10));
        List<CompletableFuture<WebhookSender.Outcome>> held = new ArrayList<>();
        for (long event = 1; event <= 2 * TargetChecks.THREADS; event++) { // more attempts than the lookups have threads
            held.add(sender.send(hanging(), delivery("ep_hangs", event), List.of(WebhookSecret.generate(new java.security.SecureRandom())), NOW));
        }

        WebhookSender.Outcome other = sender.send(quick(), delivery("ep_quick", 100), List.of(secret()), NOW).join();

        assertThat(other.succeeded()).as(String.valueOf(other)).isTrue();
        assertThat(held).noneMatch(CompletableFuture::isDone);
        assertThat(lookups.get(HANGING_HOST).get()).as("its attempts share one lookup").isEqualTo(1);
    }

    @Test
    void aLookupCountsInsideTheAttemptsTimeAndEndsItAsATimeout() {
        WebhookSender sender = sender(Duration.ofMillis(300));

        WebhookSender.Outcome outcome = sender.send(hanging(), delivery("ep_hangs", 1), List.of(secret()), NOW).join();

        assertThat(outcome.kind()).isEqualTo("timeout");
        assertThat(outcome.error()).contains("did not resolve within 300 ms");
        assertThat(requests).isEmpty();
    }

    @Test
    void aHostsVerdictIsKeptForTenSecondsAndTheClientSpeaksPlainHttp11() {
        WebhookSender sender = sender(Duration.ofSeconds(15));

        for (long event = 1; event <= 3; event++) {
            assertThat(sender.send(quick(), delivery("ep_quick", event), List.of(secret()), NOW).join().succeeded()).isTrue();
        }
        assertThat(lookups.get("127.0.0.1").get()).isEqualTo(1);
        nanos.addAndGet(TargetChecks.VERDICT_TTL.plusMillis(1).toNanos());
        assertThat(sender.send(quick(), delivery("ep_other", 4), List.of(secret()), NOW).join().succeeded()).isTrue();

        assertThat(lookups.get("127.0.0.1").get()).as("looked up again once the verdict is old").isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.size() == 4);
        assertThat(requests).allSatisfy(headers -> assertThat(headers.keySet()).noneMatch(name -> name.equalsIgnoreCase("Upgrade")
                || name.equalsIgnoreCase("HTTP2-Settings")));
    }

    @Test
    void anHttpDateRetryAfterIsReadOnTheInjectedClock() {
        assertThat(WebhookSender.retryAfter("Wed, 01 May 2024 11:00:00 GMT", NOW)).isEqualTo(Duration.ofHours(1));
        assertThat(WebhookSender.retryAfter("Wed, 01 May 2024 09:00:00 GMT", NOW)).as("in the past").isNull();
        assertThat(WebhookSender.retryAfter("120", NOW)).isEqualTo(Duration.ofMinutes(2));
    }

    private static String secret() {
        return WebhookSecret.generate(new java.security.SecureRandom());
    }
}
