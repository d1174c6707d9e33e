package io.tedeesync.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * An event-stream client on a plain socket, so that a test decides when (and whether) it reads and how
 * little the kernel buffers for it. Parses the response itself (chunked or not) and keeps only complete
 * events, as an {@code EventSource} does: an event cut off by a closed connection is not seen.
 */
final class RawEventStream implements AutoCloseable {
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean ended;

    private RawEventStream(Socket socket) {
        this.socket = socket;
    }

    /** Connects and sends the request; reads nothing. {@code receiveBuffer} 0: the system's default. */
    static RawEventStream open(int port, String pathAndQuery, String lastEventId, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so that the window is small from the start
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(60_000);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new RawEventStream(socket);
    }

    /** Reads until the response's headers are complete; returns them. */
    String readHeaders() throws IOException {
        while (headerEnd() < 0 && readSome()) {
            // more
        }
        int end = headerEnd();
        return end < 0 ? received.toString(StandardCharsets.ISO_8859_1) : received.toString(StandardCharsets.ISO_8859_1).substring(0, end);
    }

    /** Reads until the server closes the connection (or resets it); returns the ids of the complete events. */
    List<Long> readUntilClosed() throws IOException {
        while (readSome()) {
            // more
        }
        return ids();
    }

    /** Reads until an event id matches (or the connection ends); returns the ids of the complete events. */
    List<Long> readUntil(LongPredicate wanted) throws IOException {
        while (ids().stream().noneMatch(wanted::test) && readSome()) {
            // more
        }
        return ids();
    }

    /** Lets the kernel take more for it from now on (reading with a tiny window is slow). */
    void widen() throws IOException {
        socket.setReceiveBufferSize(1 << 20);
    }

    boolean ended() {
        return ended;
    }

    private boolean readSome() throws IOException {
        if (ended) {
            return false;
        }
        byte[] buffer = new byte[65536];
        int read;
        try {
            read = socket.getInputStream().read(buffer);
        } catch (SocketException reset) {
            read = -1; // a cut connection may be reset rather than closed: what arrived before it counts
        }
        if (read < 0) {
            ended = true;
            return false;
        }
        received.write(buffer, 0, read);
        return true;
    }

    private int headerEnd() {
        int end = received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        return end < 0 ? -1 : end + 4;
    }

    /** The ids of the complete events received so far, in order. */
    List<Long> ids() {
        int end = headerEnd();
        if (end < 0) {
            return List.of();
        }
        String all = received.toString(StandardCharsets.ISO_8859_1); // one char a byte, as chunk sizes count
        String headers = all.substring(0, end).toLowerCase(Locale.ROOT);
        String body = headers.contains("transfer-encoding: chunked") ? dechunk(all.substring(end)) : all.substring(end);
        List<Long> ids = new ArrayList<>();
        int start = 0;
        int blank;
        while ((blank = body.indexOf("\n\n", start)) >= 0) {
            for (String line : body.substring(start, blank).split("\n")) {
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                }
            }
            start = blank + 2;
        }
        return ids;
    }

    /** The body of a chunked response, as far as it arrived (a cut last chunk gives what it holds). */
    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            int dataStart = lineEnd + 2;
            int dataEnd = Math.min(chunked.length(), dataStart + size);
            body.append(chunked, dataStart, dataEnd);
            if (dataEnd < dataStart + size) {
                return body.toString();
            }
            at = dataEnd + 2;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
