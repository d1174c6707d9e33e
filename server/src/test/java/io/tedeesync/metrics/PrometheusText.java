package io.tedeesync.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: {@link #parse} fails with
 * the line number on anything Prometheus would refuse or misread (bad names or escapes, a TYPE after its
 * samples or twice, a family split in two, a duplicate series, a histogram whose buckets are not
 * ascending and cumulative or whose {@code +Inf} bucket is not its {@code _count}).
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(" + NAME + ")");
    private static final Pattern VALUE = Pattern.compile(" ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))( -?[0-9]+)?");

    /** One line of numbers. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> helps = new HashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        parsed.read(text);
        parsed.checkHistograms();
        return parsed;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The declared type of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public String help(String family) {
        return helps.get(family);
    }

    /** The samples of this exact sample name. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The value of the one sample with this name and exactly these labels. */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + wanted + ", found " + found.size());
        }
        return found.get(0).value();
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        Set<String> seenSeries = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int number = 1; number <= lines.length - 1; number++) {
            String line = lines[number - 1];
            try {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    Matcher help = HELP.matcher(line);
                    Matcher type = TYPE.matcher(line);
                    if (help.matches()) {
                        checkEscapes(help.group(2), false);
                        if (helps.put(help.group(1), help.group(2)) != null) {
                            throw new AssertionError("a second HELP for " + help.group(1));
                        }
                    } else if (type.matches()) {
                        String family = type.group(1);
                        if (types.put(family, type.group(2)) != null) {
                            throw new AssertionError("a second TYPE for " + family);
                        }
                        if (closedFamilies.contains(family) || family.equals(currentFamily)) {
                            throw new AssertionError("TYPE of " + family + " after its samples");
                        }
                    } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                        throw new AssertionError("malformed HELP or TYPE");
                    }
                    continue;
                }
                Sample sample = sample(line);
                String family = family(sample.name());
                if (!family.equals(currentFamily)) {
                    if (currentFamily != null) {
                        closedFamilies.add(currentFamily);
                    }
                    if (closedFamilies.contains(family)) {
                        throw new AssertionError("the samples of " + family + " are not together");
                    }
                    currentFamily = family;
                }
                if (!seenSeries.add(sample.name() + new TreeMap<>(sample.labels()))) {
                    throw new AssertionError("duplicate series");
                }
                samples.add(sample);
            } catch (AssertionError e) {
                throw new AssertionError("line " + number + " (" + line + "): " + e.getMessage(), e);
            }
        }
    }

    private static Sample sample(String line) {
        Matcher name = SAMPLE_NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new AssertionError("no metric name");
        }
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                if (!label.lookingAt() || line.charAt(label.end()) != '=' || line.charAt(label.end() + 1) != '"') {
                    throw new AssertionError("malformed label at " + at);
                }
                StringBuilder value = new StringBuilder();
                int i = label.end() + 2;
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError("bad escape \\" + next);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label.group(), value.toString()) != null) {
                    throw new AssertionError("label " + label.group() + " twice");
                }
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        Matcher value = VALUE.matcher(line).region(at, line.length());
        if (!value.matches()) {
            throw new AssertionError("malformed value");
        }
        String number = value.group(1);
        double parsed = number.endsWith("Inf") ? (number.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(number);
        return new Sample(name.group(), Map.copyOf(labels), parsed);
    }

    /** The family a sample name belongs to: its own TYPE, or that of the name without a histogram, summary or counter suffix. */
    private String family(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if (type != null && (type.equals("histogram") || type.equals("summary") || type.equals("counter"))) {
                    return base;
                }
            }
        }
        throw new AssertionError(sampleName + " has no TYPE");
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> family : types.entrySet()) {
            if (!family.getValue().equals("histogram")) {
                continue;
            }
            String name = family.getKey();
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample bucket : samples(name + "_bucket")) {
                Map<String, String> series = new HashMap<>(bucket.labels());
                if (series.remove("le") == null) {
                    throw new AssertionError(name + "_bucket without le");
                }
                buckets.computeIfAbsent(series, s -> new ArrayList<>()).add(bucket);
            }
            if (buckets.isEmpty()) {
                throw new AssertionError(name + " has no buckets");
            }
            for (Map.Entry<Map<String, String>, List<Sample>> series : buckets.entrySet()) {
                double lastBound = Double.NEGATIVE_INFINITY;
                double lastCount = 0;
                for (Sample bucket : series.getValue()) {
                    String le = bucket.labels().get("le");
                    double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    if (bound <= lastBound || bucket.value() < lastCount) {
                        throw new AssertionError(name + series.getKey() + ": buckets not ascending and cumulative at le=" + le);
                    }
                    lastBound = bound;
                    lastCount = bucket.value();
                }
                if (lastBound != Double.POSITIVE_INFINITY) {
                    throw new AssertionError(name + series.getKey() + ": no +Inf bucket");
                }
                double count = samples(name + "_count").stream().filter(s -> s.labels().equals(series.getKey()))
                        .findFirst().orElseThrow(() -> new AssertionError(name + "_count missing")).value();
                if (count != lastCount) {
                    throw new AssertionError(name + series.getKey() + ": +Inf bucket " + lastCount + " but _count " + count);
                }
                samples(name + "_sum").stream().filter(s -> s.labels().equals(series.getKey()))
                        .findFirst().orElseThrow(() -> new AssertionError(name + "_sum missing"));
            }
        }
    }

    private static void checkEscapes(String text, boolean quotes) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                if (next != '\\' && next != 'n' && !(quotes && next == '"')) {
                    throw new AssertionError("bad escape in HELP");
                }
                i++;
            }
        }
    }
}
