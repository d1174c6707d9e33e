package io.tedeesync.simulator.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A query string or form body, with names matched case-insensitively as ASP.NET does
 * ({@code page}, {@code Page} and {@code PAGE} are one parameter). Immutable.
 */
final class Query {

    private final Map<String, List<String>> values;

    private Query(Map<String, List<String>> values) {
        this.values = values;
    }

    static Query parse(String raw) {
        Map<String, List<String>> values = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                values.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(value);
            }
        }
        return new Query(values);
    }

    /** Every non-empty value given for the name, in order. */
    List<String> all(String name) {
        return values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream()
                .filter(value -> !value.isEmpty())
                .toList();
    }

    Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }

    String required(String name) {
        return first(name).orElseThrow(() -> new BadRequest("Parameter " + name + " is required"));
    }

    Optional<Integer> integer(String name) {
        return first(name).map(value -> parseInt(name, value));
    }

    static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("The value '" + value + "' is not valid for " + name);
        }
    }

    /** Lenient like most servers: a malformed escape is kept as written rather than failing the request. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
