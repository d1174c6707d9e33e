package io.tedeesync.benchmarks.scale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The rigs' command lines, walked one option at a time: {@code --name value} pairs and bare switches (named
 * when made); {@code --help} or {@code -h} asks for the usage (an {@link IllegalArgumentException} with an empty
 * message, which {@link ScaleBenchmark#guarded} answers with the usage). Every other mistake is an
 * {@link IllegalArgumentException} that names the option. Not thread-safe: one parse.
 *
 * <pre>{@code
 * Flags flags = new Flags(args, Set.of("--keep"));
 * while (flags.next()) {
 *     switch (flags.name()) {
 *         case "--keep" -> keep = true;
 *         case "--locks" -> locks = flags.number();
 *         default -> throw flags.unknown();
 *     }
 * }
 * }</pre>
 */
public final class Flags {
    private final String[] args;
    private final Set<String> switches;
    private int index = -1;
    private String name;
    private String value;

    public Flags(String[] args, Set<String> switches) {
        this.args = args.clone();
        this.switches = Set.copyOf(switches);
    }

    /** Moves to the next option; false at the end. */
    public boolean next() {
        if (++index >= args.length) {
            return false;
        }
        name = args[index];
        if (name.equals("--help") || name.equals("-h")) {
            throw new IllegalArgumentException("");
        }
        value = null;
        if (!switches.contains(name)) {
            if (index + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            value = args[++index];
        }
        return true;
    }

    public String name() {
        return name;
    }

    /** The option's value as written (null for a switch). */
    public String value() {
        return value;
    }

    /** A whole number; {@code 5_000} and {@code 5,000} are read as 5000. */
    public int number() {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
        }
    }

    public long longNumber() {
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
        }
    }

    public double decimal() {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
        }
    }

    /** {@link Durations#parse}: {@code 500ms}, {@code 20s}, {@code 3m}, {@code 1h}. */
    public Duration duration() {
        return Durations.parse(value);
    }

    public Path path() {
        return Path.of(value);
    }

    /** The value split on spaces (JVM options, extra arguments); none for a blank one. */
    public List<String> words() {
        return value.isBlank() ? List.of() : new ArrayList<>(Arrays.asList(value.trim().split("\\s+")));
    }

    /** The error for an option the rig does not know, to throw from a switch's default. */
    public IllegalArgumentException unknown() {
        return new IllegalArgumentException("unknown option " + name);
    }
}
