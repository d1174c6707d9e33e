package io.tedeesync.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the sealing key comes from: the variable in three spellings, or the owner-only key file. */
class SecretKeyFileTest {
    private static final URI API = URI.create("https://api.tedee.com");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir
    Path data;

    @Test
    void theVariableTakesBase64UrlSafeBase64OrHexOfTheSameKey() {
        CredentialCipher fromBase64 = SecretKeyFile.load(Base64.getEncoder().encodeToString(KEY), data, true, new SecureRandom());
        String sealed = fromBase64.seal("home", API, "secret");

        for (String spelling : new String[] {Base64.getUrlEncoder().withoutPadding().encodeToString(KEY), HexFormat.of().formatHex(KEY),
                " " + Base64.getEncoder().encodeToString(KEY) + "\n"}) {
            assertThat(SecretKeyFile.load(spelling, data, true, new SecureRandom()).open("home", API, sealed)).as(spelling).isEqualTo("secret");
        }
        assertThat(data.resolve(SecretKeyFile.FILE_NAME)).as("no file when the variable gives the key").doesNotExist();
    }

    @Test
    void aKeyOfTheWrongLengthOrNotBase64IsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> SecretKeyFile.load(Base64.getEncoder().encodeToString(new byte[16]), data, true, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> SecretKeyFile.load("not*base64*at*all", data, true, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64").hasMessageNotContaining("not*base64");
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyOnceAndReadAfter() throws Exception {
        CredentialCipher first = SecretKeyFile.load(null, data.resolve("new-dir"), true, new SecureRandom());
        Path file = data.resolve("new-dir").resolve(SecretKeyFile.FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).as("no temporary file left").containsExactly(file);
        }
        CredentialCipher again = SecretKeyFile.load(null, data.resolve("new-dir"), true, new SecureRandom());
        assertThat(again.keyId()).isEqualTo(first.keyId());
    }

    @Test
    void aMissingKeyFileIsNotCreatedWhenStoredCredentialsNeedTheOldOne() {
        assertThatThrownBy(() -> SecretKeyFile.load(null, data, false, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SecretKeyFile.VARIABLE).hasMessageContaining("restore");
        assertThat(data.resolve(SecretKeyFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void anEmptyKeyFileIsAClearError() throws Exception {
        Files.writeString(data.resolve(SecretKeyFile.FILE_NAME), "");

        assertThatThrownBy(() -> SecretKeyFile.load(null, data, true, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 bytes");
    }
}
