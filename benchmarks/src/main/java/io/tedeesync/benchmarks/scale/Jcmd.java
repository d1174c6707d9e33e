package io.tedeesync.benchmarks.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap of another JVM after a full collection: {@code jcmd PID GC.run}, then {@code jcmd PID
 * GC.heap_info}, whose first line says {@code garbage-first heap total 262144K, used 21586K} (or the
 * same for another collector). Uses the {@code jcmd} beside the {@code java} running this rig. Stateless.
 */
public final class Jcmd {
    private static final Pattern HEAP = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

    private Jcmd() {
    }

    /** Used and committed heap, in KB. */
    record Heap(long usedKb, long committedKb) {
    }

    private static final Pattern THREAD = Pattern.compile("(?m)^\"(.*)\" .*?nid=0x([0-9a-f]+)");

    /** The JVM's names of its threads by Linux thread id ({@code jcmd PID Thread.print}); empty when jcmd fails. */
    public static Map<Long, String> threadNames(long pid) {
        Map<Long, String> names = new HashMap<>();
        try {
            Matcher matcher = THREAD.matcher(run(pid, "Thread.print"));
            while (matcher.find()) {
                names.put(Long.parseLong(matcher.group(2), 16), matcher.group(1));
            }
        } catch (IOException e) {
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }

    static Optional<Heap> heapAfterGc(long pid) {
        try {
            run(pid, "GC.run");
            Matcher matcher = HEAP.matcher(run(pid, "GC.heap_info"));
            return matcher.find()
                    ? Optional.of(new Heap(Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(1))))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String run(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(executable(), Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] out = jcmd.getInputStream().readAllBytes();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String executable() {
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isPresent()) {
            Path jcmd = Path.of(java.get()).resolveSibling("jcmd");
            if (Files.isExecutable(jcmd)) {
                return jcmd.toString();
            }
        }
        return "jcmd";
    }
}
