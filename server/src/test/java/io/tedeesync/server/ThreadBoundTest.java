package io.tedeesync.server;

import io.tedeesync.accounts.AccountSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tedeesync.client.Credentials;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service stays under 200 threads with many accounts and many clients: threads do not follow
 * the number of accounts (one HTTP client for all of them; a JDK client each made ~3 threads an
 * account) nor of event streams.
 */
class ThreadBoundTest {
    private static final int ACCOUNTS = 80;
    private static final int STREAMS = 150;

    @TempDir
    Path data;

    private TedeeSimulator simulator;
    private TedeeSyncService service;
    private final List<Socket> streams = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket stream : streams) {
            stream.close();
        }
        if (service != null) {
            service.close();
        }
        simulator.close();
    }

    @Test
    void eightyAccountsAndOneHundredFiftyStreamsStayUnderTwoHundredThreads() throws IOException {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        simulator = TedeeSimulator.builder().build();
        for (int i = 1; i <= ACCOUNTS; i++) {
            simulator.addAccount("account-" + i, "key-" + i);
            simulator.addLock("account-" + i, "TB-" + i, "Door " + i);
        }
        simulator.start(0);
        List<AccountSpec> accounts = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            accounts.add(new AccountSpec("account-" + i, simulator.baseUrl(), "v37", Credentials.personalKey("key-" + i), null, null));
        }
        service = TedeeSyncService.start(new ServiceSettings(accounts, Duration.ofSeconds(20), "127.0.0.1", 0, data, null, null, null,
                null, null, true, Duration.ofDays(30)), Clock.systemUTC());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest locks = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/api/locks")).build();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            String body = http.send(locks, HttpResponse.BodyHandlers.ofString()).body();
            return body.split("\"serialNumber\"", -1).length - 1 == ACCOUNTS;
        });
        for (int i = 0; i < STREAMS; i++) {
            Socket stream = new Socket("127.0.0.1", service.port());
            streams.add(stream);
            stream.getOutputStream().write(("GET /api/events/stream?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stream.getOutputStream().flush();
        }
        for (Socket stream : streams) {
            stream.setSoTimeout(60_000);
            assertThat(firstLine(stream.getInputStream())).startsWith("HTTP/1.1 200");
        }

        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long simulator = Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("tedee-simulator")).count();

        // the simulator's threads are not the service's (the test's own HTTP client adds a few)
        assertThat(threads - before - simulator).as("threads of the service with %d accounts and %d streams", ACCOUNTS, STREAMS)
                .isLessThan(200);
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int read;
        while ((read = in.read()) >= 0 && read != '\n') {
            line.append((char) read);
        }
        return line.toString();
    }
}
