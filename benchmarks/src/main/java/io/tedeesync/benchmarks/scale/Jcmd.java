package io.tedeesync.benchmarks.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM through {@code jcmd}: its heap after a full collection ({@code jcmd PID GC.run}, then {@code jcmd
 * PID GC.heap_info}, whose first line says {@code garbage-first heap total 262144K, used 21586K} or the same for
 * another collector), its threads' names, and a flight recording started and stopped on demand
 * ({@code JFR.start}, {@code JFR.stop}), so that a profile covers only the part measured. Uses the {@code jcmd}
 * beside the {@code java} running this rig. Stateless.
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

    /**
     * {@code jcmd PID JFR.start name=NAME settings=SETTINGS filename=FILE}: a recording that ends with
     * {@link #stopRecording}.
     *
     * @throws IOException when jcmd fails or the JVM refuses (its answer in the message)
     */
    public static void startRecording(long pid, String name, String settings, Path file) throws IOException, InterruptedException {
        String answer = run(pid, "JFR.start", "name=" + name, "settings=" + settings, "filename=" + file.toAbsolutePath());
        if (!answer.contains("Started recording")) {
            throw new IOException("jcmd " + pid + " JFR.start: " + answer.trim());
        }
    }

    /** {@code jcmd PID JFR.stop name=NAME}: ends the recording and writes its file. */
    public static void stopRecording(long pid, String name) throws IOException, InterruptedException {
        String answer = run(pid, "JFR.stop", "name=" + name);
        if (!answer.contains("Stopped recording")) {
            throw new IOException("jcmd " + pid + " JFR.stop: " + answer.trim());
        }
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

    private static String run(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of(executable(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
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
