package io.tedeesync.benchmarks.load;

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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal HTTP/1.1 client for the load: one keep-alive connection per sender thread, the request
 * written in one piece, the answer read by {@code Content-Length} or chunks. It exists to show what the
 * service does when the load generator costs little: the JDK {@code HttpClient} spends about as much CPU
 * per request as the service does, and on a 2-core machine both share the cores. Only what the
 * service's webhook route answers is understood; not a general client. Thread-safe (each thread has its
 * own connection).
 */
public final class SocketClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private final byte[] head;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final Queue<Connection> all = new ConcurrentLinkedQueue<>();

    public SocketClient(InetSocketAddress address, String path) {
        this.address = address;
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + address.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    public Transport.Reply post(byte[] body) throws IOException {
        Connection connection = connections.get();
        if (connection == null) {
            connection = new Connection(new Socket());
            connection.socket.setTcpNoDelay(true);
            connection.socket.setSoTimeout(TIMEOUT_MILLIS);
            connection.socket.connect(address, TIMEOUT_MILLIS);
            connection.open();
            connections.set(connection);
            all.add(connection);
        }
        try {
            return connection.exchange(head, body);
        } catch (IOException e) {
            connections.remove(); // the next webhook of this thread opens a new connection
            connection.socket.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        for (Connection connection : all) {
            connection.socket.close();
        }
    }

    private static final class Connection {
        final Socket socket;
        InputStream in;
        OutputStream out;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void open() throws IOException {
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        }

        Transport.Reply exchange(byte[] head, byte[] body) throws IOException {
            byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + length.length + body.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(length, 0, request, head.length, length.length);
            System.arraycopy(body, 0, request, head.length + length.length, body.length);
            out.write(request);
            out.flush();

            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            String answer = chunked ? chunks() : new String(in.readNBytes((int) Math.max(0, contentLength)), StandardCharsets.UTF_8);
            if (closeAfter) {
                throw new IOException("the server closed the connection after answering " + status);
            }
            return new Transport.Reply(status, Transport.outcome(answer));
        }

        private String chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected
            }
            return body.toString(StandardCharsets.UTF_8);
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
    }
}
