package io.tedeesync.accounts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the key that seals stored credentials comes from: the environment variable
 * {@value #VARIABLE} (base64 of 32 bytes, e.g. {@code openssl rand -base64 32}; what several instances
 * sharing one database need), else the file {@value #FILE_NAME} in the data directory, created
 * owner-only ({@code rw-------}) with a fresh random key the first time one is needed. Never logs or
 * quotes a key. Stateless.
 */
public final class SecretKeyFile {
    public static final String VARIABLE = "TEDEE_SYNC_SECRET_KEY";
    public static final String FILE_NAME = "secret.key";
    private static final Logger LOG = LoggerFactory.getLogger("tedee-sync");

    private SecretKeyFile() {
    }

    /**
     * The cipher of the key from {@code fromEnvironment} (the variable's value, or null), else from the key
     * file in {@code dataDir}, which is created when {@code create} (else its absence is an error).
     *
     * @throws IllegalArgumentException with a message for the operator when the key is unusable
     */
    public static CredentialCipher load(String fromEnvironment, Path dataDir, boolean create, SecureRandom random) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new CredentialCipher(decode(fromEnvironment.trim(), VARIABLE), random);
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                warnIfShared(file);
                return new CredentialCipher(decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString()), random);
            }
            if (!create) {
                throw new IllegalArgumentException("the key of the stored credentials is missing: set " + VARIABLE
                        + " to the key they were stored with, or restore " + file);
            }
            return new CredentialCipher(createKeyFile(file, random), random);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read or create the secret key file " + file + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
    }

    private static byte[] decode(String text, String where) {
        byte[] key;
        try {
            key = text.matches("[0-9a-fA-F]{64}") ? java.util.HexFormat.of().parseHex(text)
                    : text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret key in " + where + " is not base64 (make one with: openssl rand -base64 32)");
        }
        if (key.length != CredentialCipher.KEY_BYTES) {
            throw new IllegalArgumentException("the secret key in " + where + " is " + key.length + " bytes; it must be "
                    + CredentialCipher.KEY_BYTES + " (make one with: openssl rand -base64 32)");
        }
        return key;
    }

    /**
     * Writes the new key to an owner-only temporary file, flushed to the disk, then moves it into place in
     * one step: a crash leaves either no key file or a whole one, never an empty one. (The store's lock on
     * the data directory, taken before this, keeps a second service from doing the same at once.)
     */
    private static byte[] createKeyFile(Path file, SecureRandom random) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[CredentialCipher.KEY_BYTES];
        random.nextBytes(key);
        Path temporary = file.resolveSibling(FILE_NAME + "." + Long.toHexString(random.nextLong()) + ".tmp");
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel channel = open(temporary, options)) {
                ByteBuffer bytes = ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info("created {} (owner-only): the key of the stored account credentials; back it up with the data, or set {} instead",
                file, VARIABLE);
        return key;
    }

    private static FileChannel open(Path file, Set<OpenOption> options) throws IOException {
        try {
            return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(file, options); // Windows: the directory's permissions apply
        }
    }

    private static void warnIfShared(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn("{} can be read by other users ({}); make it owner-only: chmod 600 {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // nothing to check
        }
    }
}
