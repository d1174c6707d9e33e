package io.tedeesync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tedeesync.client.webhook.LockStatusChanged;
import io.tedeesync.client.webhook.WebhookNotification;
import io.tedeesync.client.webhook.Webhooks;
import io.tedeesync.simulator.Fault;
import io.tedeesync.simulator.RecordedRequest;
import io.tedeesync.simulator.SimLock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Six simulated hours of the faults that broke promises: 429s whose {@code Retry-After} is 0, negative,
 * unreadable or in the past; one unreadable element in an answer; a store whose writes fail for a while
 * (webhooks then get 503 and come again, as Tedee retries them); webhooks over real HTTP that arrive
 * while get-all, details and sync answers are on their way; re-adds and renames. The invariants: no
 * two sync requests of an account within 10 s, no budget overrun, every acknowledged webhook in the
 * store, no newer state undone, and at the end mirror = simulator and store = mirror.
 */
class ChaosSoakTest {
    private static final String[] ACCOUNTS = {"alpha", "beta", "gamma"};
    private static final Duration TEDEE_RETRY = Duration.ofSeconds(20);

    private final EngineHarness harness = new EngineHarness();
    private final Random script = new Random(8);
    private final AtomicBoolean storeDown = new AtomicBoolean();
    /** The store: each lock as last written, and every event written. */
    private final Map<String, MirroredLock> stored = new ConcurrentHashMap<>();
    private final List<SyncEvent> storedEvents = Collections.synchronizedList(new ArrayList<>());
    /** Webhooks answered 503, to be sent again as Tedee would: body and when it failed. */
    private final Deque<Map.Entry<byte[], Instant>> toRetry = new ArrayDeque<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private int acknowledged;
    private int refused;
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        harness.close();
    }

    private void write(ChangeBatch batch) {
        if (storeDown.get()) {
            throw new IllegalStateException("disk I/O error");
        }
        batch.changed().forEach(lock -> stored.put(lock.serialNumber(), lock));
        batch.removed().forEach(stored::remove);
        storedEvents.addAll(batch.events());
    }

    /** What Tedee's POST gets: 2xx only for what the store holds. */
    private int deliver(byte[] body) {
        WebhookNotification notification = Webhooks.parse(body);
        WebhookOutcome outcome = harness.engine.acceptWebhook(notification);
        if (outcome == WebhookOutcome.NOT_DELIVERED) {
            synchronized (toRetry) {
                toRetry.add(Map.entry(body, harness.time.instant()));
                refused++;
            }
            return 503;
        }
        if (notification instanceof LockStatusChanged status && outcome != WebhookOutcome.UNKNOWN_DEVICE) {
            harness.engine.locks().stream().filter(lock -> lock.id() == status.deviceId()).findFirst().ifPresent(lock -> {
                MirroredLock inStore = stored.get(lock.serialNumber());
                // The store holds the webhook's position, or the newer one the mirror knows instead.
                boolean holdsIt = inStore != null && inStore.lastKnown() != null
                        && (inStore.lastKnown().stateCode() == status.stateCode()
                            || (lock.lastKnown() != null && inStore.lastKnown().stateCode() == lock.lastKnown().stateCode()
                                && lock.stateAt() != null && !lock.stateAt().isBefore(status.eventTime()))
                        // or the lock went offline after it: its position is history, not current
                        || (!lock.connected() && lock.connectionAt() != null && !lock.connectionAt().isBefore(status.eventTime())));
                if (!holdsIt) {
                    violations.add("acknowledged (" + outcome + ") " + status + " at " + harness.time.instant() + " but the store has "
                            + (inStore == null ? null : inStore.lastKnown() + " at " + inStore.stateAt()) + "; the mirror " + lock.lastKnown()
                            + " at " + lock.stateAt());
                }
            });
        }
        synchronized (toRetry) {
            acknowledged++;
        }
        return 200;
    }

    private URI startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/webhooks", exchange -> {
            int status = deliver(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks");
    }

    @Test
    void sixHoursOfChaosKeepEveryPromise() throws IOException {
        Map<String, List<String>> serialsByAccount = new HashMap<>();
        for (String account : ACCOUNTS) {
            serialsByAccount.put(account, harness.account(account, "key-" + account, 4));
            harness.simulator.webhooksEnabled(account, true);
        }
        harness.simulator.registerWebhook(startReceiver());
        harness.start(b -> {
            for (String account : ACCOUNTS) {
                b.account(harness.config(account, "key-" + account));
            }
            return b.durableListener(this::write);
        });
        harness.simulator.randomActivity(Duration.ofMinutes(3));

        int injected429 = 0;
        int storeOutages = 0;
        int badElements = 0;
        Instant storeBackAt = null;
        Map<String, Instant> stateAtSeen = new HashMap<>();
        Instant end = EngineHarness.START.plus(Duration.ofHours(6));
        long second = 0;
        while (harness.time.instant().isBefore(end)) {
            if (second > 60 && second % 300 == 0) { // every 5 minutes, something goes wrong
                String account = ACCOUNTS[script.nextInt(ACCOUNTS.length)];
                List<String> serials = serialsByAccount.get(account);
                String serial = serials.get(script.nextInt(serials.size()));
                switch (script.nextInt(9)) {
                    case 0 -> injected429 += inject(Fault.rateLimitedRetryAfter("0"), account);
                    case 1 -> injected429 += inject(Fault.rateLimitedRetryAfter("-5"), account);
                    case 2 -> injected429 += inject(Fault.rateLimitedRetryAfter("soon"), account);
                    case 3 -> injected429 += inject(Fault.rateLimitedRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), account);
                    case 4 -> {
                        harness.simulator.injectFault(Fault.badElement(script.nextBoolean() ? Fault.Defect.IMPOSSIBLE_DATE
                                : Fault.Defect.WRONG_TYPE), 1 + script.nextInt(3), account);
                        badElements++;
                    }
                    case 5 -> {
                        storeDown.set(true);
                        storeBackAt = harness.time.instant().plusSeconds(20 + script.nextInt(70));
                        storeOutages++;
                    }
                    case 6 -> harness.simulator.reAddLock(serial); // a get-all, racing the webhooks
                    case 7 -> harness.simulator.rename(serial, "Renamed " + second); // details, racing too
                    default -> harness.simulator.injectFault(Fault.serverError(503), 1 + script.nextInt(3), account);
                }
            }
            if (storeBackAt != null && !harness.time.instant().isBefore(storeBackAt)) {
                storeDown.set(false);
                storeBackAt = null;
            }
            retryRefusedWebhooks();
            harness.time.advance(Duration.ofSeconds(1));
            second++;
            noNewerStateUndone(stateAtSeen);
        }
        storeDown.set(false);
        harness.simulator.stopRandomActivity();
        for (int i = 0; i < 600; i++) {
            retryRefusedWebhooks();
            harness.time.advance(Duration.ofSeconds(1));
        }

        System.out.printf("chaos soak: %d webhooks acknowledged, %d refused while the store was down and retried, %d store outages,"
                + " %d bad elements, %d injected 429s, %d API requests%n", acknowledged, refused, storeOutages, badElements, injected429,
                harness.simulator.requests().size());
        assertThat(storeOutages).as("the script exercised the store").isGreaterThan(3);
        assertThat(badElements).isGreaterThan(3);
        assertThat(refused).as("some webhooks were refused while the store was down").isPositive();
        assertThat(acknowledged).isGreaterThan(100);
        assertThat(violations).as("invariant violations").isEmpty();
        for (String account : ACCOUNTS) {
            List<RecordedRequest> requests = harness.requests(account);
            assertThat(SyncFloorTest.syncsWithinTheFloor(requests)).as("syncs of %s within 10 s", account).isEmpty();
            harness.assertBudgetKept(account, 700);
        }
        assertThat(harness.simulator.syncCallsTooSoon()).isZero();
        assertThat(harness.simulator.requests().stream().filter(r -> r.status() == 429).count()).isEqualTo(injected429);
        mirrorEqualsTruthAndStoreEqualsMirror();
    }

    private int inject(Fault fault, String account) {
        int burst = 1 + script.nextInt(2);
        harness.simulator.injectFault(fault, burst, account);
        return burst;
    }

    private void retryRefusedWebhooks() {
        List<byte[]> due = new ArrayList<>();
        synchronized (toRetry) {
            while (!toRetry.isEmpty() && !toRetry.peekFirst().getValue().plus(TEDEE_RETRY).isAfter(harness.time.instant())) {
                due.add(toRetry.pollFirst().getKey());
            }
        }
        due.forEach(this::deliver);
    }

    /** A lock's position time never goes back: no answer undid something newer. */
    private void noNewerStateUndone(Map<String, Instant> stateAtSeen) {
        for (MirroredLock lock : harness.engine.locks()) {
            Instant before = stateAtSeen.get(lock.serialNumber());
            if (lock.stateAt() != null) {
                if (before != null && lock.stateAt().isBefore(before)) {
                    violations.add(lock.serialNumber() + " went back from " + before + " to " + lock.stateAt());
                }
                stateAtSeen.put(lock.serialNumber(), lock.stateAt());
            }
        }
    }

    private void mirrorEqualsTruthAndStoreEqualsMirror() {
        harness.assertMirrorEqualsTruth();
        for (SimLock truth : harness.simulator.locks()) {
            MirroredLock copy = harness.engine.lock(truth.serialNumber()).orElseThrow();
            MirroredLock inStore = stored.get(truth.serialNumber());
            assertThat(inStore).as("%s in the store", truth.serialNumber()).isNotNull();
            if (copy.lastKnown() != null) {
                assertThat(inStore.lastKnown()).as("%s: the store caught up with the mirror", truth.serialNumber()).isNotNull();
                assertThat(inStore.lastKnown().stateCode()).isEqualTo(copy.lastKnown().stateCode());
                assertThat(inStore.lastKnown().doorStateCode()).isEqualTo(copy.lastKnown().doorStateCode());
                assertThat(inStore.lastKnown().batteryLevel()).isEqualTo(copy.lastKnown().batteryLevel());
            }
            assertThat(inStore.connected()).isEqualTo(copy.connected());
            assertThat(inStore.name()).isEqualTo(copy.name());
        }
    }
}
