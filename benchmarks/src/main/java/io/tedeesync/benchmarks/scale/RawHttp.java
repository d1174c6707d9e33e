package io.tedeesync.benchmarks.scale;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection that sends GETs and reads (and drops, unless asked to keep) the
 * answers: a load generator that costs the shared cores little, so that what is measured is the server.
 * Understands {@code Content-Length}, chunked bodies and {@code Connection: close}; a connection the
 * server closed while idle is opened again once. Not thread-safe: one per thread.
 */
public final class RawHttp implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private final boolean freshEachTime;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connections;

    /**
     * An answer: its status, its {@code ETag} (null when none), the length of its body and, when asked for,
     * the body itself (else null).
     */
    public record Answer(int status, String etag, long bodyBytes, byte[] body) {
    }

    /** @param freshEachTime a new connection for every request ({@code Connection: close}), as a client without a pool */
    public RawHttp(InetSocketAddress address, boolean freshEachTime) {
        this.address = address;
        this.freshEachTime = freshEachTime;
    }

    long connections() {
        return connections;
    }

    /** Sends the GET and returns the status; the body is read and dropped. */
    int get(String pathAndQuery, String authorization) throws IOException {
        return get(pathAndQuery, authorization == null ? Map.of() : Map.of("Authorization", authorization), false).status();
    }

    /** Sends the GET with these extra headers; the body is kept in the answer only when {@code keepBody}. */
    public Answer get(String pathAndQuery, Map<String, String> headers, boolean keepBody) throws IOException {
        StringBuilder text = new StringBuilder(128).append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(address.getPort());
        headers.forEach((name, value) -> text.append("\r\n").append(name).append(": ").append(value));
        byte[] request = text.append(freshEachTime ? "\r\nConnection: close" : "").append("\r\n\r\n").toString()
                .getBytes(StandardCharsets.US_ASCII);
        boolean reused = socket != null;
        try {
            return exchange(request, keepBody);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return exchange(request, keepBody); // the server may close a connection it kept idle: once more on a new one
        }
    }

    private Answer exchange(byte[] request, boolean keepBody) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(address, TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
            connections++;
        }
        out.write(request);
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        String etag = null;
        boolean chunked = false;
        boolean closeAfter = freshEachTime;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closeAfter = true;
            } else if (lower.startsWith("etag:")) {
                etag = header.substring(5).trim();
            }
        }
        ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, 1 << 26) : 1 << 16) : null;
        long read = 0;
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                skip(size, body);
                read += size;
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(length, body);
            read = length;
        } else if (length < 0 && closeAfter) {
            for (int next = in.read(); next >= 0; next = in.read()) { // the body ends with the connection
                read++;
                if (body != null) {
                    body.write(next);
                }
            }
        }
        if (closeAfter) {
            close();
        }
        return new Answer(status, etag, read, body == null ? null : body.toByteArray());
    }

    /** Reads {@code bytes} of the body, into {@code body} when it is not null, else dropping them. */
    private void skip(long bytes, ByteArrayOutputStream body) throws IOException {
        if (body != null) {
            byte[] buffer = new byte[8192];
            for (long left = bytes; left > 0; ) {
                int got = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (got < 0) {
                    throw new EOFException("the server closed the connection inside a body");
                }
                body.write(buffer, 0, got);
                left -= got;
            }
            return;
        }
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the server closed the connection inside a body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private String line() throws IOException {
        StringBuilder text = new StringBuilder(64);
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (next != '\r') {
                text.append((char) next);
            }
        }
        return text.toString();
    }

    /** Closes the connection; the next request opens a new one. */
    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
    }
}
