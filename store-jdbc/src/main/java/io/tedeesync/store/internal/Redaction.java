package io.tedeesync.store.internal;

import java.util.regex.Pattern;

/** Keeps passwords out of everything the store says: descriptions, messages, {@code toString}. Stateless. */
public final class Redaction {
    // password=... as a URL parameter (?, & or ; separated), and user:password@ in the authority.
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;#\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

    private static final int MIN_SECRET_LENGTH = 4;

    private Redaction() {
    }

    /** The URL with any password in it replaced by {@code ***}. */
    public static String url(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String withoutParameter = PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO.matcher(withoutParameter).replaceAll("//$1:***@");
    }

    /**
     * The text with every occurrence of {@code secret} replaced, for messages that quote a driver. A
     * secret of fewer than {@value #MIN_SECRET_LENGTH} characters is not searched for: replacing every
     * "p" of a message would make it unreadable and hide nothing a guesser would not try first.
     */
    public static String text(String text, String secret) {
        if (text == null || secret == null || secret.length() < MIN_SECRET_LENGTH) {
            return text;
        }
        return text.replace(secret, "***");
    }
}
