package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command, {@code bin/test}: on a fresh Debian 12 machine with only a JDK 17,
 * {@code ./mvnw verify} failed because the dashboard's browser tests need {@code chromium} and
 * {@code chromium-driver}, which only {@code .ci/run} installed.
 *
 * <p>The script runs for real, from a copy of the repository whose {@code mvnw} only prints its
 * arguments, with a {@code PATH} that holds only what each case needs. {@code apt-get} there is a
 * stand-in that records how it was called: a test cannot install packages, and must not.
 */
class TestCommandScriptTest {
    private static final Path ROOT = repositoryRoot();
    private static final String PACKAGES = "chromium chromium-driver mosquitto";

    @TempDir
    Path dir;

    private Path copy;
    private Path tools;
    private Path aptLog;
    /** The sbin directory the script looks in besides PATH ({@code TEDEE_TEST_SBIN_DIRS}): empty unless a case puts a daemon there. */
    private Path sbin;

    /** What one run of the script did. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void copyOfTheRepository() throws IOException {
        copy = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(copy.resolve("bin"));
        Files.copy(ROOT.resolve("bin/test"), copy.resolve("bin/test"), StandardCopyOption.COPY_ATTRIBUTES);
        executable(copy.resolve("mvnw"), "echo \"mvnw $*\"\nexit 7");
        tools = Files.createDirectories(dir.resolve("tools"));
        sbin = Files.createDirectories(dir.resolve("sbin"));
        Files.createSymbolicLink(tools.resolve("bash"), Path.of("/bin/bash"));
        Files.createSymbolicLink(tools.resolve("env"), Path.of("/usr/bin/env"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        aptLog = logs.resolve("apt-get.log");
        executable(tools.resolve("apt-get"), "echo \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> " + aptLog);
        for (Path path : List.of(dir, copy, copy.resolve("bin"), tools, sbin)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @Test
    void theReadmesTestCommandIsTheScriptAndCiRunsExactlyIt() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String twoCommands = readme.substring(readme.indexOf("## The two commands"));
        twoCommands = twoCommands.substring(twoCommands.indexOf("```sh"), twoCommands.indexOf("```", twoCommands.indexOf("```sh") + 5));
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();

        assertThat(twoCommands.lines().skip(1).map(line -> line.replaceAll("\\s+#.*", "").trim()))
                .containsExactly("bin/tedee-sync demo", "bin/test");
        assertThat(ci).contains("set -euo pipefail").last().isEqualTo("bin/test");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("README's test command");
    }

    @Test
    void whenEverythingIsPresentItIsQuietAndRunsMavenVerifyWithTheExtraArguments() throws Exception {
        executable(tools.resolve("chromium"), "exit 0");
        executable(tools.resolve("chromedriver"), "exit 0");
        executable(tools.resolve("mosquitto"), "exit 0");

        Run run = run(false, "-pl", "server", "-Dtest=Some Test");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("mvnw -B -ntp verify -pl server -Dtest=Some Test\n");
        assertThat(run.exitCode()).as("Maven's exit code").isEqualTo(7);
        assertThat(aptLog).doesNotExist();
    }

    @Test
    void asRootOnAFreshMachineItInstallsTheBrowserPackagesOnceThenRunsTheBuild() throws Exception {
        assumeTrue(isRoot(), "the tests run as root here (as CI does)");

        Run run = run(false, "-q");

        assertThat(Files.readAllLines(aptLog)).containsExactly(
                "apt-get -qq -o DPkg::Lock::Timeout=300 update DEBIAN_FRONTEND=noninteractive",
                "apt-get -qq -o DPkg::Lock::Timeout=300 install -y " + PACKAGES + " DEBIAN_FRONTEND=noninteractive");
        assertThat(run.out()).endsWith("mvnw -B -ntp verify -q\n");
        assertThat(run.err()).isEqualTo("bin/test: installing " + PACKAGES + " (needed by the tests)\n");
    }

    @Test
    void mosquittoInAnSbinDirectoryCountsAsPresentThoughThePathLacksIt() throws Exception {
        executable(tools.resolve("chromium"), "exit 0");
        executable(tools.resolve("chromedriver"), "exit 0");
        executable(sbin.resolve("mosquitto"), "exit 0");

        Run run = run(false);

        assertThat(aptLog).as("nothing to install").doesNotExist();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("mvnw -B -ntp verify\n");
    }

    @Test
    void mosquittoNeitherOnThePathNorInAnSbinDirectoryIsMissing() throws Exception {
        executable(tools.resolve("chromium"), "exit 0");
        executable(tools.resolve("chromedriver"), "exit 0");
        executable(sbin.resolve("mosquitto_passwd"), "exit 0"); // another tool there is not the daemon

        Run run = run(false);

        // As root the stand-in apt-get installs it; otherwise (no sudo on this PATH) the one line says what to install.
        assertThat(run.err()).contains(isRoot() ? "bin/test: installing mosquitto" : "sudo apt-get install -y mosquitto");
    }

    @Test
    void theRequirementsNameMosquittoForTheMqttTests() throws IOException {
        assertThat(Files.readString(ROOT.resolve("bin/test")).lines())
                .anyMatch(line -> line.matches("mosquitto\\s+mosquitto\\s+MQTT tests.*"));
        assertThat(Files.readString(ROOT.resolve("bin/test"))).as("Debian's sbin directories unless a test says otherwise")
                .contains("${TEDEE_TEST_SBIN_DIRS-/usr/local/sbin:/usr/sbin:/sbin}");
    }

    @Test
    void withoutRootOrSudoItStopsAtOnceWithOneLineSayingWhatToInstall() throws Exception {
        assumeTrue(!isRoot() || Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv, to run the script as nobody");

        Run run = run(true);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err().lines()).singleElement().asString()
                .contains("install them first: sudo apt-get install -y " + PACKAGES);
        assertThat(run.out()).as("no build").isEmpty();
        assertThat(aptLog).doesNotExist();
    }

    /** Runs the copied {@code bin/test} with only {@code tools} on the PATH; {@code asNobody}: as user nobody when we are root. */
    private Run run(boolean asNobody, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (asNobody && isRoot()) {
            command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.add(copy.resolve("bin/test").toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", tools.toString());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("TEDEE_TEST_SBIN_DIRS", sbin.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/test did not end within 30 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void executable(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isRegularFile(here.resolve("bin/test"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
        }
        return here;
    }
}
