package io.tedeesync.benchmarks.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's time went while one route was asked over and over, from a JFR recording
 * ({@code settings=profile}: a Java sample of each running thread every 10-20 ms, native samples, allocation
 * samples, GCs): the request threads' ({@code tedee-http-*}) Java samples by library (JDK frames are charged to
 * the library that called them: a {@code HashMap.put} inside Jackson is Jackson's), their hottest methods (self
 * time) and the share of each tedee-sync method on the stack (inclusive), their native samples, what they
 * allocated, and the collections. Allocation: the total is what the JVM counted per thread
 * ({@code jdk.ThreadAllocationStatistics} at the recording's start and end; the samples' weights when a thread has
 * not both), but where it went is told by the number of allocation samples, not their weight: a pool thread that
 * served a request and then runs Jetty's selector books the request's hundreds of MB on the selector's iterator.
 * Immutable once read.
 *
 * <p>Also a command, to read a recording again: {@code java -cp benchmarks.jar
 * io.tedeesync.benchmarks.fleet.JfrSummary FILE.jfr [OPERATIONS]}.
 */
public final class JfrSummary {
    private static final String REQUEST_THREADS = "tedee-http";
    private static final Map<String, String> LIBRARIES = libraries();

    private final List<String> lines;

    private JfrSummary(List<String> lines) {
        this.lines = lines;
    }

    List<String> lines() {
        return lines;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("Usage: java -cp benchmarks.jar io.tedeesync.benchmarks.fleet.JfrSummary FILE.jfr [OPERATIONS]");
            System.exit(2);
        }
        read(Path.of(args[0]), args.length == 2 ? Integer.parseInt(args[1]) : 0).lines().forEach(System.out::println);
    }

    static JfrSummary read(Path recording, int operations) throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> natives = new HashMap<>();
        Map<String, Integer> allocatedClasses = new HashMap<>();
        Map<String, Integer> allocatedIn = new HashMap<>();
        int allocationSamples = 0;
        Map<Long, long[]> allocatedByThread = new HashMap<>(); // thread id -> first and last count seen
        int requestSamples = 0;
        int nativeSamples = 0;
        long allocated = 0;
        int collections = 0;
        Duration pauses = Duration.ZERO;
        Duration longestPause = Duration.ZERO;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    String thread = threadName(event.getThread("sampledThread"));
                    byThread.merge(thread.replaceAll("-?\\d+$", "-#"), 1, Integer::sum);
                    List<RecordedFrame> frames = frames(event.getStackTrace());
                    if (!thread.startsWith(REQUEST_THREADS) || frames.isEmpty()) {
                        continue;
                    }
                    requestSamples++;
                    byLibrary.merge(library(frames), 1, Integer::sum);
                    self.merge(method(frames.get(0)), 1, Integer::sum);
                    ours(frames).forEach(method -> inclusive.merge(method, 1, Integer::sum));
                }
                case "jdk.NativeMethodSample" -> {
                    // Only while handling a request: idle pool threads wait in accept and epoll, natively.
                    List<RecordedFrame> frames = frames(event.getStackTrace());
                    if (threadName(event.getThread("sampledThread")).startsWith(REQUEST_THREADS) && !ours(frames).isEmpty()) {
                        nativeSamples++;
                        natives.merge(method(frames.get(0)) + " <- " + firstCaller(frames), 1, Integer::sum);
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    if (threadName(event.getThread("eventThread")).startsWith(REQUEST_THREADS)) {
                        allocated += event.getLong("weight");
                        allocationSamples++;
                        allocatedClasses.merge(event.getClass("objectClass").getName(), 1, Integer::sum);
                        ours(frames(event.getStackTrace())).forEach(method -> allocatedIn.merge(method, 1, Integer::sum));
                    }
                }
                case "jdk.ThreadAllocationStatistics" -> {
                    RecordedThread thread = event.getThread("thread");
                    if (thread != null && threadName(thread).startsWith(REQUEST_THREADS)) {
                        long bytes = event.getLong("allocated");
                        allocatedByThread.merge(thread.getJavaThreadId(), new long[] {bytes, bytes},
                                (seen, now) -> new long[] {Math.min(seen[0], bytes), Math.max(seen[1], bytes)});
                    }
                }
                case "jdk.GarbageCollection" -> {
                    collections++;
                    Duration pause = event.getDuration("sumOfPauses");
                    pauses = pauses.plus(pause);
                    longestPause = pause.compareTo(longestPause) > 0 ? pause : longestPause;
                }
                default -> {
                }
            }
        }
        long counted = allocatedByThread.values().stream().mapToLong(range -> range[1] - range[0]).sum();
        if (counted > 0) {
            allocated = counted;
        }
        List<String> lines = new ArrayList<>();
        int allSamples = byThread.values().stream().mapToInt(Integer::intValue).sum();
        lines.add(String.format(Locale.ROOT, "Java samples: %,d, of them %,d (%.0f %%) on the request threads; by thread: %s", allSamples,
                requestSamples, percent(requestSamples, allSamples), top(byThread, allSamples, 6)));
        lines.add("request threads, by library (JDK frames charged to their caller): " + top(byLibrary, requestSamples, 10));
        lines.add("request threads, hottest methods (self): " + top(self, requestSamples, 12));
        lines.add("request threads, tedee-sync methods on the stack (inclusive): " + top(inclusive, requestSamples, 14));
        lines.add(String.format(Locale.ROOT, "request threads in a request, native samples (%,d): %s", nativeSamples,
                top(natives, nativeSamples, 6)));
        lines.add(String.format(Locale.ROOT, "request threads allocated ~%,.0f MB (%,.1f MB per operation, %,d operations); by samples"
                + " (%,d): classes %s; in %s", allocated / 1e6, operations == 0 ? 0 : allocated / 1e6 / operations, operations,
                allocationSamples, top(allocatedClasses, allocationSamples, 6), top(allocatedIn, allocationSamples, 8)));
        lines.add(String.format(Locale.ROOT, "GC: %d collections, pauses %d ms in all, longest %d ms", collections, pauses.toMillis(),
                longestPause.toMillis()));
        return new JfrSummary(List.copyOf(lines));
    }

    private static List<RecordedFrame> frames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames();
    }

    private static String threadName(RecordedThread thread) {
        return thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
    }

    /** {@code Class.method}; a lambda's hidden class ({@code LockRoutes$$Lambda$486+0x.../123}) as {@code LockRoutes$$Lambda}. */
    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        int lambda = type.indexOf("$$Lambda");
        if (lambda >= 0) {
            type = type.substring(0, lambda + "$$Lambda".length());
        }
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    /** The library of the first frame from the top that is not the JDK's. */
    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!isJdk(type)) {
                return libraryOf(type);
            }
        }
        return "JDK only";
    }

    private static String firstCaller(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            if (!isJdk(frame.getMethod().getType().getName())) {
                return method(frame);
            }
        }
        return "JDK";
    }

    /** The distinct tedee-sync methods on the stack (not their lambdas' glue). */
    private static Set<String> ours(List<RecordedFrame> frames) {
        Set<String> methods = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("io.tedeesync.") && !type.contains("$$Lambda")) {
                methods.add(method(frame));
            }
        }
        return methods;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    private static String libraryOf(String type) {
        for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
            if (type.startsWith(library.getKey())) {
                return library.getValue();
            }
        }
        return type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : type;
    }

    private static Map<String, String> libraries() {
        Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put("io.tedeesync.store.", "store-jdbc");
        libraries.put("io.tedeesync.sync.", "sync-engine");
        libraries.put("io.tedeesync.", "server");
        libraries.put("com.fasterxml.jackson.", "Jackson");
        libraries.put("org.sqlite.", "SQLite JDBC");
        libraries.put("org.postgresql.", "PostgreSQL JDBC");
        libraries.put("com.zaxxer.hikari.", "HikariCP");
        libraries.put("org.eclipse.jetty.", "Jetty");
        libraries.put("io.javalin.", "Javalin");
        libraries.put("kotlin.", "Kotlin (Javalin)");
        return libraries;
    }

    private static double percent(double part, double whole) {
        return whole == 0 ? 0 : 100 * part / whole;
    }

    private static String top(Map<String, Integer> counts, int whole, int limit) {
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(entry -> parts.add(String.format(Locale.ROOT, "%s %.0f %%", entry.getKey(), percent(entry.getValue(), whole))));
        return parts.isEmpty() ? "(none)" : String.join(", ", parts);
    }
}
