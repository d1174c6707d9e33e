package io.tedeesync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tedeesync.mqtt.MqttSettings;
import io.tedeesync.server.ServiceSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code --mqtt-*} flags: what they resolve to, and one clear line for each mistake. */
class MqttServeOptionsTest {
    private static final Map<String, String> KEY = Map.of("TEDEE_PERSONAL_KEY", "pk-options-test");

    @Test
    void theFlagsAndThePasswordFromTheEnvironmentResolveToTheSettings() {
        Map<String, String> environment = new java.util.HashMap<>(KEY);
        environment.put("TEDEE_MQTT_PASSWORD", "mq-Secret9Walrus4");

        MqttSettings mqtt = settings(environment, "--mqtt-url", "ssl://broker.example:8884", "--mqtt-username", "ha",
                "--mqtt-topic-prefix", "home/tedee", "--mqtt-discovery-prefix", "none", "--mqtt-commands").mqtt();

        assertThat(mqtt).isEqualTo(new MqttSettings(URI.create("ssl://broker.example:8884"), "ha", "mq-Secret9Walrus4", "home/tedee",
                null, true));
        assertThat(mqtt.tls()).isTrue();
        assertThat(mqtt.toString()).doesNotContain("Secret9").contains("password=***");
        assertThat(settings(environment, "--mqtt-url", "ssl://broker.example:8884", "--mqtt-username", "ha").toString())
                .doesNotContain("Secret9");
    }

    @Test
    void theDefaultsArePrefixTedeeSyncDiscoveryHomeassistantCommandsOffAndNoMqttWithoutAUrl() {
        MqttSettings mqtt = settings(KEY, "--mqtt-url", "tcp://127.0.0.1").mqtt();

        assertThat(mqtt.topicPrefix()).isEqualTo("tedee-sync");
        assertThat(mqtt.discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(mqtt.commands()).isFalse();
        assertThat(mqtt.port()).isEqualTo(1883);
        assertThat(settings(KEY).mqtt()).isNull();
    }

    @Test
    void mistakesAreOneClearLine() {
        assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-url", "http://broker:1883"), "tcp://HOST:PORT or ssl://HOST:PORT");
        assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-url", "broker:1883"), "tcp://HOST:PORT or ssl://HOST:PORT");
        assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-url", "tcp://a b"), "tcp://HOST:PORT or ssl://HOST:PORT");
        assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-commands"), "need --mqtt-url");
        assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-url", "tcp://broker", "--mqtt-topic-prefix", "tedee/#"), "without wildcards");
        CommandRun withCredentials = CommandRun.of(KEY, "serve", "--mqtt-url", "tcp://ha:mq-InUrl5Secret@broker");
        assertOneLine(withCredentials, "must not carry credentials");
        assertThat(withCredentials.err()).doesNotContain("InUrl5Secret");
    }

    @Test
    void aDockerComposeNameWithAnUnderscoreAndABracketedIpv6AddressAreBrokers() {
        MqttSettings compose = settings(KEY, "--mqtt-url", "tcp://mqtt_broker:1884").mqtt();
        assertThat(compose.host()).isEqualTo("mqtt_broker");
        assertThat(compose.port()).isEqualTo(1884);
        assertThat(settings(KEY, "--mqtt-url", "tcp://mqtt_broker").mqtt().port()).isEqualTo(1883);

        MqttSettings loopback = settings(KEY, "--mqtt-url", "ssl://[::1]:8883").mqtt();
        assertThat(loopback.host()).as("without brackets, as HiveMQ takes it").isEqualTo("::1");
        assertThat(loopback.port()).isEqualTo(8883);
        assertThat(loopback.tls()).isTrue();
    }

    @Test
    void aPathAQueryOrAFragmentIsRefusedWithOneLineAndCredentialsBeforeAnUnderscoreHostToo() {
        for (String url : new String[] {"tcp://broker:1883/tedee", "tcp://broker:1883?x=1", "tcp://broker:1883#top", "tcp://mqtt_broker/x"}) {
            assertOneLine(CommandRun.of(KEY, "serve", "--mqtt-url", url), "without a path, query or fragment");
        }
        CommandRun withCredentials = CommandRun.of(KEY, "serve", "--mqtt-url", "tcp://ha:mq-Under5Score@mqtt_broker:1883");
        assertOneLine(withCredentials, "must not carry credentials");
        assertThat(withCredentials.err()).doesNotContain("Under5Score");
    }

    private static void assertOneLine(CommandRun run, String text) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(TedeeSyncCommand.EXIT_USAGE);
        assertThat(run.err().strip().lines()).as(run.err()).singleElement().asString().contains(text);
    }

    private static ServiceSettings settings(Map<String, String> environment, String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).registerConverter(java.time.Duration.class, new DurationConverter()).parseArgs(args);
        return holder.options.settings(environment);
    }

    /** A command that carries the options as {@code serve} does (they are a mixin there too). */
    @CommandLine.Command(name = "serve")
    private static final class Holder {
        @CommandLine.Mixin
        ServeOptions options;
    }
}
