package io.tedeesync.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/events/stream} streams to any client, not only to one that says
 * {@code Accept: text/event-stream}: {@code curl -N} (printed by {@code demo} and the README) sends
 * {@code Accept: *}{@code /*} and saw an empty 200. Spoken over a raw socket, so that no client library
 * adds a header of its own.
 */
class EventStreamAnyClientTest {
    @TempDir
    Path data;

    private ServiceHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aClientSendingNoAcceptHeaderGetsTheEvents() throws IOException {
        harness = new ServiceHarness(data).startAndWaitForLocks();

        String received = readStream(null);

        assertThat(received).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Type: text/event-stream");
        assertThat(received).contains("\"type\":\"Added\"").contains("id: ");
    }

    @Test
    void aClientAcceptingAnythingLikeCurlGetsTheEvents() throws IOException {
        harness = new ServiceHarness(data).startAndWaitForLocks();

        String received = readStream("*/*");

        assertThat(received).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Type: text/event-stream");
        assertThat(received).contains("\"type\":\"Added\"").contains("id: ");
    }

    /** What arrives for the stream from the start of the log, up to the first event's data (or 10 s, or the end). */
    private String readStream(String accept) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", harness.service.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/events/stream?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (accept == null ? "" : "Accept: " + accept + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int read;
                while (!received.toString(StandardCharsets.UTF_8).contains("\"type\":\"Added\"") && (read = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException silence) {
                // nothing more came: what arrived so far is the answer
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
