package io.tedeesync.sync;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint that reads every request and never answers: a Tedee that hangs. Counts the requests
 * it holds, so that {@link VirtualTime} knows a call is hanging the moment its request arrives here.
 */
final class Silence implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger held = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    Silence() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silence");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Requests read in full and never answered, since start. */
    int held() {
        return held.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread reader = new Thread(() -> hold(socket), "silence-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads request heads (no bodies: the engine's calls here are GETs and empty POSTs) and answers none. */
    private void hold(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            int matched = 0;
            int b;
            while ((b = in.read()) != -1) {
                matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == 4) {
                    held.incrementAndGet();
                    matched = 0;
                }
            }
        } catch (IOException closed) {
            // the client gave up or the test ended
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
