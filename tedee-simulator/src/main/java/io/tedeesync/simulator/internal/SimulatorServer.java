package io.tedeesync.simulator.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulation served over HTTP on 127.0.0.1 with the JDK's server, plus a ticker that catches
 * the simulation up with the clock every 200 ms of real time, so a real-time demo moves by itself.
 *
 * <p>Thread-safe. The server threads are a cached pool: a slow fault sleeps on its own thread
 * without holding up other requests.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorServer.class);
    private static final long TICK_MILLIS = 200;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static {
        // Both settings are read once, when the JVM's first HttpServer starts, so they only help if the
        // simulator is first (or the JVM is started with them). An explicit choice is left alone.
        // The JDK server sends headers and body as two writes; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, about 40 ms per request.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        // The JDK server closes a finished connection at once when 200 are idle already: a service with
        // thousands of accounts, each syncing every 20 s on a connection of its own, would then open a new
        // connection for almost every request, which neither side pays in front of the real cloud.
        // Idle connections still close after 30 s (sun.net.httpserver.idleInterval).
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "20000");
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService ticker;

    private SimulatorServer(HttpServer server, ExecutorService handlers, ScheduledExecutorService ticker) {
        this.server = server;
        this.handlers = handlers;
        this.ticker = ticker;
    }

    /** Binds 127.0.0.1 on the port (0 for any free one) and starts serving and ticking. */
    public static SimulatorServer start(Simulation simulation, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the simulator to 127.0.0.1:" + port, e);
        }
        ExecutorService handlers = Executors.newCachedThreadPool(new NamedThreads("tedee-simulator-http"));
        server.setExecutor(handlers);
        server.createContext("/", new FrontDoor(simulation));
        server.start();
        ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(new NamedThreads("tedee-simulator-ticker"));
        ticker.scheduleWithFixedDelay(() -> tick(simulation), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return new SimulatorServer(server, handlers, ticker);
    }

    private static void tick(Simulation simulation) {
        try {
            simulation.advance(false);
        } catch (RuntimeException e) {
            log.error("Simulator tick failed; the next one will try again", e); // a bug, not network trouble
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops ticking and serving; requests in progress (a slow fault's sleep) are interrupted. */
    @Override
    public void close() {
        ticker.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
