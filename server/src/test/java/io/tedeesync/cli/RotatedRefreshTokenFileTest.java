package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.simulator.OAuthTokens;
import io.tedeesync.simulator.TedeeSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rotated refresh token ({@code .<file>.<account>.refresh-token} beside the accounts file) is never
 * readable by others, not even for a moment. It used to be written to {@code <that>.tmp}, a fixed name
 * created with the default permissions and made owner-only after: anyone who could read the directory
 * could open that file in between, or prepare it beforehand and catch the token.
 */
class RotatedRefreshTokenFileTest {
    @TempDir
    Path dir;

    @Test
    void aRotatedRefreshTokenIsNeverWrittenWhereOthersCouldReadIt() throws Exception {
        try (TedeeSimulator simulator = TedeeSimulator.builder().build()) {
            simulator.addAccount("home", "key");
            simulator.addLock("home", "R-1", "Door");
            simulator.start(0);
            OAuthTokens tokens = simulator.issueTokens("home");
            Path accounts = dir.resolve("accounts.yml");
            Files.writeString(accounts, "accounts:\n  - name: home\n    refreshToken: " + tokens.refreshToken()
                    + "\n    tokenUrl: " + simulator.baseUrl() + "/oauth2/v2.0/token\n");
            Files.setLastModifiedTime(accounts, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            Path kept = AccountsFile.rotatedTokenFile(accounts, "home");
            // Someone else prepares the temporary name the token used to go through: a pipe anyone may read.
            Path trap = kept.resolveSibling(kept.getFileName() + ".tmp");
            makeWorldReadablePipe(trap);
            CompletableFuture<String> caught = CompletableFuture.supplyAsync(() -> readAll(trap));

            AccountsFile.read(accounts, simulator.baseUrl(), "v37", Map.of()).get(0).credentials().authorizationHeader();

            if (Files.exists(trap, LinkOption.NOFOLLOW_LINKS) && Files.readAttributes(trap, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.newOutputStream(trap, StandardOpenOption.WRITE).close(); // nobody wrote to it: let the reader see its end
            }
            assertThat(caught.get(10, TimeUnit.SECONDS)).as("what others could read").isEmpty();
            assertThat(Files.isRegularFile(kept, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.readString(kept)).isNotBlank().isNotEqualTo(tokens.refreshToken());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .as("no temporary file left behind")
                        .containsExactlyInAnyOrder("accounts.yml", kept.getFileName().toString(), trap.getFileName().toString());
            }
        }
    }

    private static void makeWorldReadablePipe(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "666", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
    }

    private static String readAll(Path pipe) {
        try {
            return new String(Files.readAllBytes(pipe), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
