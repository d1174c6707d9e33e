package io.tedeesync.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time over a phase: the whole process, the machine (to see other work on the shared cores), and
 * this JVM's threads grouped by name with the numbers taken out ({@code HttpClient-#-Worker-#} is the
 * load generator, {@code qtp#-#} or {@code JettyServerThreadPool-#} the service's HTTP threads). A thread
 * that ends inside the phase is missing from the groups. Not thread-safe.
 */
final class CpuUse {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long processStart;
    private long wallStart;
    private Map<Long, Long> threadStart = Map.of();

    /** What {@link #stop()} found. Fractions are of one core (2.0 = both cores of this machine). */
    record Usage(double processCores, double machineBusy, Map<String, Double> coresByThreadGroup) {
    }

    void start() {
        os.getCpuLoad(); // starts the machine-wide interval
        threadStart = threadTimes();
        processStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    Usage stop() {
        double wall = System.nanoTime() - wallStart;
        double process = (os.getProcessCpuTime() - processStart) / wall;
        double machine = os.getCpuLoad();
        Map<String, Double> byGroup = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = threads.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - threadStart.getOrDefault(info.getThreadId(), 0L);
            byGroup.merge(info.getThreadName().replaceAll("\\d+", "#"), used / wall, Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return new Usage(process, machine, sorted);
    }

    private Map<Long, Long> threadTimes() {
        Map<Long, Long> times = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long time = threads.getThreadCpuTime(id);
            if (time >= 0) {
                times.put(id, time);
            }
        }
        return times;
    }
}
