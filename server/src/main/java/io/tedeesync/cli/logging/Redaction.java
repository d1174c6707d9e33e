package io.tedeesync.cli.logging;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes the secrets out of a formatted log line, whoever wrote it (our code, Jetty, Javalin, HikariCP)
 * and at whatever level: the webhook path's secret, {@code PersonalKey} and {@code Bearer} credentials,
 * token-like query parameters and JSON fields, and Jetty's raw buffer dumps. Done once, here, on the
 * whole line (message and throwable text), so that no call site has to remember it. Stateless and
 * thread-safe.
 */
final class Redaction {
    static final String HIDDEN = "***";

    /** A pattern and its replacement; {@code cheapCheck}: a text the pattern cannot match without (empty: none). */
    private record Rule(String cheapCheck, Pattern pattern, String replacement) {
        String apply(String text) {
            return text.contains(cheapCheck) ? pattern.matcher(text).replaceAll(replacement) : text;
        }
    }

    private static final List<Rule> RULES = List.of(
            // Jetty's buffer dumps at DEBUG ("...[p=0,l=127]={<<<GET /api/locks HTTP/1.1\r\n...rer tok\r\n\r\n>>>stale...}")
            // show raw request bytes cut at arbitrary places ("...rer the-token", or a secret's first letters),
            // so no pattern could find the secret inside them: the bytes go, all of them. The regions around
            // <<< >>> are at most 17 bytes, printed at most 4 characters each; taking a little too much of
            // what follows hides nothing that matters.
            new Rule("<<<", Pattern.compile("\\{.{0,80}?<<<.*?>>>.{0,80}\\}"), "{<<<" + HIDDEN + ">>>}"),
            // The webhook secret travels in the path; a path segment may hold almost anything, so it ends
            // only where a path cannot go on.
            new Rule("/webhooks/tedee/", Pattern.compile("(/webhooks/tedee/)[^\\s/?#\"<>\\\\{}|^`\\[\\]]+"), "$1" + HIDDEN),
            // Authorization header values (Jetty's HttpParser logs each header at DEBUG).
            new Rule("", Pattern.compile("(?i)\\b(PersonalKey|Bearer)(?:\\s+|%20|\\+)[^\\s\"'\\\\,;)\\]}>]+"), "$1 " + HIDDEN),
            // The event stream's ?access_token=, OAuth's code and tokens, a password in a JDBC URL.
            new Rule("=", Pattern.compile("(?i)([?&;](?:access_token|refresh_token|id_token|token|client_secret|code|password)=)[^&\\s\"'#<>\\\\]+"),
                    "$1" + HIDDEN),
            new Rule("\"", Pattern.compile("(?i)(\"(?:access_token|refresh_token|id_token|client_secret|personalKey|accessToken|refreshToken"
                    + "|clientSecret|password)\"\\s*:\\s*\")[^\"]*\""), "$1" + HIDDEN + "\""));

    private Redaction() {
    }

    static String redact(String line) {
        if (line == null) {
            return null;
        }
        String result = line;
        for (Rule rule : RULES) {
            result = rule.apply(result);
        }
        return result;
    }
}
