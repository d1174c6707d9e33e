package io.tedeesync.benchmarks.fleet;

import io.tedeesync.benchmarks.scale.Percentiles;
import io.tedeesync.benchmarks.scale.ProcFs;
import io.tedeesync.benchmarks.scale.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Asks the routes over keep-alive connections ({@link RawHttp}: a few µs of the rig's CPU per request, so the
 * shared cores go to the service), one connection per client, kept across routes. A closed loop: each client
 * sends its next request when its answer has been read to the last byte, and the time of an operation is from
 * just before the request is written to that last byte ({@link System#nanoTime()}). Not thread-safe: one
 * measurement at a time (its clients run on threads of their own).
 */
final class RouteDriver implements AutoCloseable {
    private static final byte[] NEXT_CURSOR = "\"nextCursor\":".getBytes(StandardCharsets.US_ASCII);

    /** One operation: the last status (-1: the connection failed), bytes read, requests sent, and the bodies when kept. */
    record Outcome(int status, long bytes, int requests, List<byte[]> bodies) {
    }

    /**
     * One route at one concurrency: the operations' times, their statuses, bytes, the window, and the CPU that the
     * service and the helper (PostgreSQL) used in it.
     */
    record Measurement(Route route, int concurrency, Percentiles millis, Map<Integer, Integer> statuses, long bytes, int requests,
            double seconds, double serviceCpu, double helperCpu) {
        double perSecond() {
            return millis.count() / seconds;
        }
    }

    private final RawHttp[] clients;
    /** Per client, per route: the last ETag it got, for revalidations. */
    private final List<Map<String, String>> tags = new ArrayList<>();
    private final long servicePid;
    private final DoubleSupplier helperCpu;

    RouteDriver(InetSocketAddress service, int clients, long servicePid, DoubleSupplier helperCpu) {
        this.clients = new RawHttp[clients];
        for (int client = 0; client < clients; client++) {
            this.clients[client] = new RawHttp(service, false);
            tags.add(new HashMap<>());
        }
        this.servicePid = servicePid;
        this.helperCpu = helperCpu;
    }

    /** One operation on this client; {@code keep}: the bodies are returned (for the checks). */
    Outcome once(int client, Route route, boolean keep) throws IOException {
        RawHttp http = clients[client];
        switch (route.kind()) {
            case GET -> {
                RawHttp.Answer answer = http.get(route.path(), Map.of(), keep);
                return new Outcome(answer.status(), answer.bodyBytes(), 1, keep ? List.of(answer.body()) : List.of());
            }
            case REVALIDATE -> {
                String tag = tags.get(client).get(route.name());
                RawHttp.Answer answer = http.get(route.path(), tag == null ? Map.of() : Map.of("If-None-Match", tag), keep);
                if (answer.status() == 200 && answer.etag() != null) {
                    tags.get(client).put(route.name(), answer.etag());
                }
                return new Outcome(answer.status(), answer.bodyBytes(), 1, keep && answer.body() != null ? List.of(answer.body()) : List.of());
            }
            case WALK -> {
                return walk(http, route, keep);
            }
            default -> throw new AssertionError(route.kind());
        }
    }

    private static Outcome walk(RawHttp http, Route route, boolean keep) throws IOException {
        List<byte[]> bodies = keep ? new ArrayList<>() : List.of();
        long bytes = 0;
        int requests = 0;
        String path = route.path();
        while (true) {
            // The body is needed for its nextCursor; it is found by a byte search, not parsed (the pages are ~0.5 MB).
            RawHttp.Answer page = http.get(path, Map.of(), true);
            requests++;
            bytes += page.bodyBytes();
            if (keep) {
                bodies.add(page.body());
            }
            String cursor = page.status() == 200 ? nextCursor(page.body()) : null;
            if (cursor == null || requests > 10_000) {
                return new Outcome(page.status(), bytes, requests, bodies);
            }
            path = "/api/locks?cursor=" + cursor + "&limit=" + Route.PAGE;
        }
    }

    /** The text of the last {@code "nextCursor":"..."} in the body, or null (JSON null, or none at all). */
    static String nextCursor(byte[] body) {
        outer:
        for (int at = body.length - NEXT_CURSOR.length; at >= 0; at--) {
            for (int index = 0; index < NEXT_CURSOR.length; index++) {
                if (body[at + index] != NEXT_CURSOR[index]) {
                    continue outer;
                }
            }
            int start = at + NEXT_CURSOR.length;
            while (start < body.length && body[start] == ' ') {
                start++;
            }
            if (start >= body.length || body[start] != '"') {
                return null;
            }
            int end = start + 1;
            while (end < body.length && body[end] != '"') {
                end++;
            }
            return new String(body, start + 1, end - start - 1, StandardCharsets.US_ASCII);
        }
        return null;
    }

    /** {@code count} operations shared by {@code concurrency} clients. */
    Measurement measure(Route route, int concurrency, int count) throws InterruptedException {
        if (concurrency > clients.length) {
            throw new IllegalArgumentException("only " + clients.length + " clients");
        }
        AtomicInteger left = new AtomicInteger(count);
        double serviceBefore = ProcFs.cpuSeconds(servicePid);
        double helperBefore = helperCpu.getAsDouble();
        long start = System.nanoTime();
        List<Lane> lanes = runLanes(route, concurrency, () -> left.getAndDecrement() > 0);
        long end = System.nanoTime();
        double serviceUsed = ProcFs.cpuSeconds(servicePid) - serviceBefore;
        double helperUsed = helperCpu.getAsDouble() - helperBefore;
        double[] millis = new double[count];
        Map<Integer, Integer> statuses = new TreeMap<>();
        long bytes = 0;
        int requests = 0;
        int next = 0;
        for (Lane lane : lanes) {
            System.arraycopy(lane.millis, 0, millis, next, lane.done);
            next += lane.done;
            lane.statuses.forEach((status, times) -> statuses.merge(status, times, Integer::sum));
            bytes += lane.bytes;
            requests += lane.requests;
        }
        return new Measurement(route, concurrency, new Percentiles(java.util.Arrays.copyOf(millis, next)), statuses, bytes, requests,
                (end - start) / 1e9, serviceUsed, helperUsed);
    }

    /** {@code concurrency} clients ask the route again and again for {@code time} (while a profile records); the operations done. */
    int runFor(Route route, int concurrency, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        return runLanes(route, concurrency, () -> System.nanoTime() < end).stream().mapToInt(lane -> lane.done).sum();
    }

    private List<Lane> runLanes(Route route, int concurrency, java.util.function.BooleanSupplier more) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "fleet-client");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Lane>> futures = new ArrayList<>();
            for (int client = 0; client < concurrency; client++) {
                int index = client;
                futures.add(threads.submit(() -> {
                    Lane lane = new Lane();
                    while (more.getAsBoolean()) {
                        long started = System.nanoTime();
                        Outcome outcome;
                        try {
                            outcome = once(index, route, false);
                        } catch (IOException e) {
                            clients[index].close();
                            outcome = new Outcome(-1, 0, 1, List.of());
                        }
                        lane.add((System.nanoTime() - started) / 1e6, outcome);
                    }
                    return lane;
                }));
            }
            List<Lane> lanes = new ArrayList<>();
            for (Future<Lane> future : futures) {
                lanes.add(future.get());
            }
            return lanes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    /** What one client saw. Confined to its thread until returned. */
    private static final class Lane {
        double[] millis = new double[256];
        int done;
        final Map<Integer, Integer> statuses = new TreeMap<>();
        long bytes;
        int requests;

        void add(double elapsed, Outcome outcome) {
            if (done == millis.length) {
                millis = java.util.Arrays.copyOf(millis, done * 2);
            }
            millis[done++] = elapsed;
            statuses.merge(outcome.status(), 1, Integer::sum);
            bytes += outcome.bytes();
            requests += outcome.requests();
        }
    }

    @Override
    public void close() {
        for (RawHttp client : clients) {
            client.close();
        }
    }
}
