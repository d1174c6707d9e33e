package io.tedeesync.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Logging setup for benchmark JVMs. */
final class Logs {
    private Logs() {
    }

    /**
     * Logback without a configuration logs DEBUG to the console, and the client logs one DEBUG line per
     * call: the parse benchmark would measure the console. WARN keeps real problems visible.
     */
    static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
}
