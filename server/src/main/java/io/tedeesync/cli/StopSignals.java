package io.tedeesync.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIGTERM (what systemd, Docker and {@code kill} send) and SIGINT (Ctrl-C) as requests to stop, while
 * {@link #close()} has not been called: the JVM does not begin to exit, so the command closes its work and
 * returns its own exit code, 0 after a clean stop. Left to the JVM, SIGTERM runs the shutdown hooks and
 * exits with 143, which a service manager records as a failure.
 *
 * <p>On Java 17 only {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for exactly this)
 * can do it. It is reached by reflection so that the build carries no "internal proprietary API" warnings;
 * where it is missing or the VM keeps a signal to itself ({@code -Xrs}), nothing is taken and the JVM's
 * own handling (shutdown hooks) applies. Not thread-safe: one instance per foreground run.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"TERM", "INT"};

    private final Method handle;
    private final Map<Object, Object> previousHandlers;

    private StopSignals(Method handle, Map<Object, Object> previousHandlers) {
        this.handle = handle;
        this.previousHandlers = previousHandlers;
    }

    /** From now until {@link #close()}, each stop signal runs {@code stop} (on a thread of the JVM's; keep it short). */
    static StopSignals take(Runnable stop) {
        Map<Object, Object> previous = new LinkedHashMap<>();
        Method handle;
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            handle = signalType.getMethod("handle", signalType, handlerType);
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            stop.run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "tedee-sync stop signal handler";
                    });
            for (String name : NAMES) {
                Object signal = signalType.getConstructor(String.class).newInstance(name);
                try {
                    previous.put(signal, handle.invoke(null, signal, handler));
                } catch (InvocationTargetException keptByTheVm) {
                    // IllegalArgumentException: -Xrs or similar; the JVM's handling stays
                }
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return new StopSignals(null, previous); // not this JVM: the shutdown hook is all there is
        }
        return new StopSignals(handle, previous);
    }

    /** Gives the signals back to the handlers they had. */
    @Override
    public void close() {
        previousHandlers.forEach((signal, handler) -> {
            try {
                handle.invoke(null, signal, handler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the signal stays ours, which still means "stop"; nothing better to do
            }
        });
        previousHandlers.clear();
    }
}
