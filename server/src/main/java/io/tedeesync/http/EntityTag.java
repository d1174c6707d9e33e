package io.tedeesync.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Weak entity tags ({@code ETag: W/"..."}) of answers, and {@code If-None-Match} as RFC 9110 reads it. Weak,
 * because an answer may go out gzipped or not with the same tag (a strong tag must differ between codings), and
 * because nothing here needs more: {@code If-None-Match} compares weakly, and no route takes {@code If-Match} or
 * ranges. Stateless.
 */
final class EntityTag {
    private EntityTag() {
    }

    /** A weak tag of these bytes: {@code W/} and, quoted, the first 96 bits of their SHA-256. */
    static String of(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * True when {@code ifNoneMatch} ({@code *}, or a comma-separated list of tags) names {@code etag} by the weak
     * comparison {@code If-None-Match} uses: the opaque tags equal, whether either is marked {@code W/} or not.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || opaque(tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /** The quoted part of a tag, without its {@code W/}. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
