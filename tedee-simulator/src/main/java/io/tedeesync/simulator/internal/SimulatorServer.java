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

    static {
        // The JDK server sends headers and body as two writes; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, about 40 ms per request. The setting is read once, when
        // the JVM's first HttpServer starts, so it only helps if the simulator is first (or the JVM
        // is started with -Dsun.net.httpserver.nodelay=true). An explicit choice is left alone.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
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
