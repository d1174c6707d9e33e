package io.tedeesync.benchmarks.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Linux says about a process in {@code /proc}: threads and resident memory from
 * {@code /proc/PID/status}, open file descriptors by counting {@code /proc/PID/fd}, CPU time as
 * {@code utime + stime} of {@code /proc/PID/stat}, and the machine's busy and total time from
 * {@code /proc/stat}. A process that is gone reads as {@link Sample#GONE}. Stateless.
 */
public final class ProcFs {
    /** Clock ticks per second of {@code /proc/PID/stat}: USER_HZ, 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = ticksPerSecond();

    private ProcFs() {
    }

    /**
     * One look at a process.
     *
     * @param cpuSeconds user plus system CPU since the process started
     */
    record Sample(int threads, int fds, long rssKb, double cpuSeconds) {
        static final Sample GONE = new Sample(-1, -1, -1, -1);

        boolean gone() {
            return threads < 0;
        }
    }

    /** CPU of the whole machine since boot, in seconds summed over cores: busy (not idle, not iowait) and total. */
    public record MachineCpu(double busySeconds, double totalSeconds) {
    }

    static Sample sample(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            int threads = -1;
            long rss = -1;
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            return new Sample(threads, countFds(proc.resolve("fd")), rss, cpuSeconds(pid));
        } catch (IOException | RuntimeException e) {
            return Sample.GONE;
        }
    }

    /** {@code utime + stime} in seconds, or -1 when the process is gone. */
    public static double cpuSeconds(long pid) {
        double[] split = userAndSystem(Path.of("/proc", Long.toString(pid), "stat"));
        return split == null ? -1 : split[0] + split[1];
    }

    /** {@code utime} and {@code stime} in seconds (user code, and the kernel on its behalf: syscalls, sockets). */
    static double[] userAndSystem(long pid) {
        double[] split = userAndSystem(Path.of("/proc", Long.toString(pid), "stat"));
        return split == null ? new double[] {-1, -1} : split;
    }

    /** One live thread: the name Linux keeps (15 characters) and its CPU seconds. */
    public record Task(String name, double cpuSeconds) {
    }

    /** The process's live threads by thread id ({@code /proc/PID/task/TID/stat}); a thread that ended is missing. */
    public static Map<Long, Task> tasks(long pid) {
        Map<Long, Task> tasks = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : entries) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    double[] split = userAndSystem(stat);
                    tasks.put(Long.parseLong(task.getFileName().toString()),
                            new Task(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), split[0] + split[1]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return tasks;
        }
        return tasks;
    }

    /** Threads of one name (digits taken out), how many were alive at the end, and the CPU they used between two looks. */
    public record ThreadGroup(String name, int threads, double cpuSeconds) {
    }

    /**
     * The threads alive at the second look grouped by name, digits taken out ({@code HttpClient-#-Worker-#}),
     * the names from {@code fullNames} (the JVM's, by thread id) where known, else Linux's; the most CPU first.
     */
    public static List<ThreadGroup> groups(Map<Long, Task> before, Map<Long, Task> after, Map<Long, String> fullNames) {
        Map<String, ThreadGroup> groups = new HashMap<>();
        after.forEach((tid, task) -> {
            String name = fullNames.getOrDefault(tid, task.name()).replaceAll("\\d+", "#");
            Task earlier = before.get(tid);
            double used = task.cpuSeconds() - (earlier == null ? 0 : earlier.cpuSeconds());
            groups.merge(name, new ThreadGroup(name, 1, used),
                    (left, right) -> new ThreadGroup(name, left.threads() + right.threads(), left.cpuSeconds() + right.cpuSeconds()));
        });
        List<ThreadGroup> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparingDouble(ThreadGroup::cpuSeconds).reversed());
        return sorted;
    }

    private static double[] userAndSystem(Path statFile) {
        try {
            return userAndSystem(Files.readString(statFile, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double[] userAndSystem(String stat) {
        String[] fields = fieldsAfterName(stat);
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        return new double[] {Long.parseLong(fields[11]) / TICKS_PER_SECOND, Long.parseLong(fields[12]) / TICKS_PER_SECOND};
    }

    /**
     * {@code cutime + cstime} in seconds: the CPU of the process's children that ended and were waited for
     * (a PostgreSQL postmaster reaps every backend), or 0 when it is gone.
     */
    static double reapedChildrenCpuSeconds(long pid) {
        try {
            String[] fields = fieldsAfterName(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII));
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The pids of the live processes whose parent is {@code pid} ({@code /proc/PID/stat} field 4). */
    static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String[] fields = fieldsAfterName(Files.readString(entry.resolve("stat"), StandardCharsets.US_ASCII));
                    if (Long.parseLong(fields[1]) == pid) {
                        children.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // it ended while we looked
                }
            }
        } catch (IOException e) {
            return children;
        }
        return children;
    }

    /** The fields of a {@code stat} line from field 3 (state) on: the command name (field 2) is in parentheses and may hold spaces. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** CPU seconds ({@code utime + stime}) of every process now, by pid. */
    static Map<Long, Double> processes() {
        Map<Long, Double> processes = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                double cpu = cpuSeconds(pid);
                if (cpu >= 0) {
                    processes.put(pid, cpu);
                }
            }
        } catch (IOException | RuntimeException e) {
            return processes;
        }
        return processes;
    }

    /**
     * CPU seconds used between two looks by the processes alive at the second, except the given ones:
     * other work on the shared cores, counted precisely (a process's times come from the scheduler) but
     * missing processes that ended in between. {@code /proc/stat}, by contrast, is sampled at clock ticks
     * and misses work done in bursts shorter than a tick, as a simulator answering in 0.2 ms does.
     */
    static double othersUsed(Map<Long, Double> before, Map<Long, Double> after, long... excluded) {
        double used = 0;
        for (Map.Entry<Long, Double> process : after.entrySet()) {
            boolean ours = false;
            for (long pid : excluded) {
                ours |= pid == process.getKey();
            }
            if (!ours) {
                used += Math.max(0, process.getValue() - before.getOrDefault(process.getKey(), 0.0));
            }
        }
        return used;
    }

    public static MachineCpu machine() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] fields = first.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
            for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i == 4 || i == 5) {
                    idle += value;
                }
            }
            return new MachineCpu((total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    private static int countFds(Path fdDir) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdDir)) {
            for (Path ignored : entries) {
                count++;
            }
        }
        return count;
    }

    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor() == 0) {
                return Double.parseDouble(out);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to Linux's fixed USER_HZ
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
