package io.tedeesync.simulator.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API version from the path, {@code v1.15} .. {@code v1.36} or {@code v37} and later, as the
 * number after the dot (or after the v). The payload shapes that changed with it (release-notes.rst)
 * are answered here and nowhere else.
 */
record ApiVersion(int number) {

    private static final Pattern DOTTED = Pattern.compile("[vV]1\\.(\\d{2})");
    private static final Pattern PLAIN = Pattern.compile("[vV](\\d{2,4})");
    private static final int OLDEST_DOTTED = 15;
    private static final int FIRST_PLAIN = 37;

    /** Versions seen before; only valid spellings are kept, so the cache stays as small as the set of versions. */
    private static final Map<String, Optional<ApiVersion>> SEEN = new ConcurrentHashMap<>();

    static Optional<ApiVersion> parse(String segment) {
        Optional<ApiVersion> seen = SEEN.get(segment);
        if (seen != null) {
            return seen;
        }
        Optional<ApiVersion> parsed = parseNew(segment);
        if (parsed.isPresent() && SEEN.size() < 1_000) {
            SEEN.put(segment, parsed);
        }
        return parsed;
    }

    private static Optional<ApiVersion> parseNew(String segment) {
        Matcher dotted = DOTTED.matcher(segment);
        if (dotted.matches()) {
            int number = Integer.parseInt(dotted.group(1));
            return number >= OLDEST_DOTTED && number < FIRST_PLAIN ? Optional.of(new ApiVersion(number)) : Optional.empty();
        }
        Matcher plain = PLAIN.matcher(segment);
        if (plain.matches()) {
            int number = Integer.parseInt(plain.group(1));
            return number >= FIRST_PLAIN ? Optional.of(new ApiVersion(number)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** v1.34 renamed {@code lockProperties} to {@code deviceState} in the Lock model. */
    String lockStateField() {
        return number >= 34 ? "deviceState" : "lockProperties";
    }

    /** v1.35 renamed it in the sync models. */
    String syncStateField() {
        return number >= 35 ? "deviceState" : "lockProperties";
    }

    /** v1.33 added {@code revision} to the sync models. */
    boolean syncHasRevision() {
        return number >= 33;
    }

    /** v1.33 replaced {@code connectedToKeypadId}/{@code connectedToDryContactId} with {@code accessories}. */
    boolean lockHasAccessories() {
        return number >= 33;
    }

    /** v1.35 removed {@code organizationName} and {@code organizationSlug} from the Lock model. */
    boolean lockHasOrganizationName() {
        return number <= 34;
    }
}
