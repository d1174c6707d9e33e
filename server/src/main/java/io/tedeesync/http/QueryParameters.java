package io.tedeesync.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reading the query parameters of the fleet and history routes ({@code /api/locks}, {@code /api/summary},
 * {@code /api/locks/{serialNumber}/history}) by one set of rules, and refusing them with one exception
 * ({@link Problem}) and one form of message: a bad value is {@code 400 bad_parameter} naming the parameter, the
 * value as {@link #shown} and what is allowed; a name the route does not know is {@code 400 unknown_parameter}
 * listing the known ones. A name that starts with {@code _} is no parameter of ours but a cache buster
 * ({@code ?_=1733080000}, as jQuery and others add): it is ignored. Stateless.
 */
final class QueryParameters {
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern UNSHOWN = Pattern.compile("[^A-Za-z0-9_.:+-]");
    private static final int SHOWN_LENGTH = 40;

    private QueryParameters() {
    }

    /** {@code 400 unknown_parameter} for a parameter not in {@code known} (a {@code _} name aside). */
    static void refuseUnknown(Map<String, List<String>> parameters, List<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name) && !ignored(name)) {
                throw Problem.unknownParameter(name, known);
            }
        }
    }

    /** Whether a parameter of this name is passed over: a cache buster's {@code _...}. */
    static boolean ignored(String name) {
        return name.startsWith("_");
    }

    /** The one value of a parameter, stripped, or null when not given; refused when given twice or empty. */
    static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Problem(400, "bad_parameter", name + " is given " + values.size() + " times; give it once");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new Problem(400, "bad_parameter", name + " is empty; give a value or leave it out");
        }
        return value;
    }

    /** An integer 1..100, or null when not given. */
    static Integer percent(Map<String, List<String>> parameters, String name) {
        String value = single(parameters, name);
        if (value == null) {
            return null;
        }
        int percent = PERCENT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (percent < 1 || percent > 100) {
            throw Problem.badParameter(name, value, "an integer from 1 to 100");
        }
        return percent;
    }

    /**
     * A value as a message may show it: only {@code [A-Za-z0-9_.:+-]} (others become {@code ?}), at most 40
     * characters (a longer one cut to 37 and {@code ...}).
     */
    static String shown(String value) {
        String safe = UNSHOWN.matcher(value).replaceAll("?");
        return safe.length() > SHOWN_LENGTH ? safe.substring(0, SHOWN_LENGTH - 3) + "..." : safe;
    }

    /** Answers the problem: its status, {@code {"error": code, "message": ...}}. */
    static void answer(Context ctx, Problem problem) {
        ApiJson.error(ctx, problem.status(), problem.code(), problem.getMessage());
    }

    /** A request these routes refuse: its status, error code and message ({@code ApiJson.error}). */
    static final class Problem extends RuntimeException {
        private final int status;
        private final String code;

        Problem(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        /** {@code 400 bad_parameter}: "NAME must be ALLOWED; was 'VALUE'". */
        static Problem badParameter(String name, String value, String allowed) {
            return new Problem(400, "bad_parameter", name + " must be " + allowed + "; was '" + shown(value) + "'");
        }

        static Problem unknownParameter(String name, List<String> known) {
            return new Problem(400, "unknown_parameter", "unknown parameter '" + shown(name) + "' (known: " + String.join(", ", known) + ")");
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }
}
