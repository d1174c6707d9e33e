package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jetty runs on a pool of at most {@link HttpApi#MAX_THREADS} threads, and requests that wait in their
 * handlers (here: webhooks whose bodies come slowly, as a slow sender or a slow store would hold them)
 * are admitted up to a bound; the rest wait without a thread, or are answered 503, never more threads.
 */
class JettyThreadsTest {
    private static final Duration GENEROUS = Duration.ofSeconds(60);
    /** An unknown webhook type: answered 200 and ignored once the body is complete. */
    private static final byte[] BODY = "{\"event\":\"door-sensor-moved\",\"data\":{\"deviceId\":1}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    private StreamBed bed;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    /** Sends a webhook's headers and the first bytes of its body; the rest waits for {@link #finish}. */
    private Socket slowWebhook() throws IOException {
        Socket socket = new Socket("127.0.0.1", bed.port());
        socket.setSoTimeout(60_000);
        sockets.add(socket);
        String head = "POST /webhooks/tedee/" + StreamBed.WEBHOOK_SECRET + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + BODY.length + "\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(BODY, 0, 5);
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * Sends the rest of the body. A request refused at once (503 on its headers) may find its connection
     * already closed by the answer: that is not a failure, the answer waiting in the socket is what counts.
     */
    private static void finish(Socket socket) {
        try {
            socket.getOutputStream().write(Arrays.copyOfRange(BODY, 5, BODY.length));
            socket.getOutputStream().flush();
        } catch (IOException closedByTheAnswer) {
            // read the answer all the same
        }
    }

    private static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int read;
        while ((read = in.read()) >= 0 && read != '\n') {
            line.append((char) read);
        }
        return line.toString().trim();
    }

    /** Threads of this service's pool (those of services closed by earlier tests may still be ending). */
    private int jettyThreads() {
        return bed.api.threads().getThreads();
    }

    @Test
    void jettyRunsOnItsOwnBoundedPool() {
        bed = new StreamBed(data);

        assertThat(bed.api.threads().getMaxThreads()).isEqualTo(HttpApi.MAX_THREADS);
        assertThat(bed.api.threads().getName()).isEqualTo("tedee-http");
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().startsWith("tedee-http-"));
        assertThat(jettyThreads()).isPositive().isLessThanOrEqualTo(HttpApi.MAX_THREADS);
        assertThat(bed.api.jetty().getBeans(org.eclipse.jetty.server.LowResourceMonitor.class))
                .as("nothing cuts idle connections when the pool looks busy").isEmpty();
    }

    @Test
    void aHundredSlowRequestsStayWithinThePoolAndAreAllAnswered() throws IOException {
        bed = new StreamBed(data);
        int othersBefore = ManagementFactory.getThreadMXBean().getThreadCount() - jettyThreads();
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            slow.add(slowWebhook());
        }
        int waiting = 100 - HttpApi.MAX_ACTIVE_REQUESTS;
        await().atMost(GENEROUS).until(() -> bed.api.admission().getSuspendedRequestCount() == waiting);

        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(jettyThreads()).isLessThanOrEqualTo(HttpApi.MAX_THREADS);
        assertThat(threads).as("every thread of the JVM while 100 requests hang").isLessThan(othersBefore + HttpApi.MAX_THREADS + 5);

        for (Socket socket : slow) {
            finish(socket);
        }
        for (Socket socket : slow) {
            // 200 once admitted; 503 for one that waited longer than it may (a loaded machine)
            assertThat(statusLine(socket)).matches("HTTP/1\\.1 (200|503) .*");
        }
    }

    @Test
    void beyondTheWaitingRoomAnswers503AtOnce() throws IOException {
        bed = new StreamBed(data);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < HttpApi.MAX_ACTIVE_REQUESTS + HttpApi.MAX_WAITING_REQUESTS; i++) {
            slow.add(slowWebhook());
        }
        await().atMost(GENEROUS).until(() -> bed.api.admission().getSuspendedRequestCount() == HttpApi.MAX_WAITING_REQUESTS);

        Socket oneMore = slowWebhook();
        finish(oneMore);

        assertThat(statusLine(oneMore)).startsWith("HTTP/1.1 503");
        String rest = new String(oneMore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(rest).containsIgnoringCase("Retry-After: 5").contains("\"error\":\"overloaded\"");
    }
}
