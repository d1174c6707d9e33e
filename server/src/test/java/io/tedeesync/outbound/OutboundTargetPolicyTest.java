package io.tedeesync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Which webhook targets are refused, by their addresses, and that the check is made on each resolution. */
class OutboundTargetPolicyTest {
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void everyNonPublicRangeIsNamedAndPublicAddressesPass() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("127.0.0.1", "loopback"), Map.entry("127.8.9.10", "loopback"), Map.entry("::1", "loopback"),
                Map.entry("0.0.0.0", "any-local"), Map.entry("0.1.2.3", "this network"),
                Map.entry("169.254.169.254", "link-local"), Map.entry("fe80::1", "link-local"),
                Map.entry("10.0.0.1", "private network"), Map.entry("172.16.0.1", "private network"), Map.entry("172.31.255.254", "private network"),
                Map.entry("192.168.0.1", "private network"), Map.entry("fd12:3456::1", "unique-local"), Map.entry("fc00::1", "unique-local"),
                Map.entry("100.64.0.1", "shared"), Map.entry("100.127.255.254", "shared"), Map.entry("224.0.0.1", "multicast"),
                Map.entry("ff02::1", "multicast"), Map.entry("255.255.255.255", "broadcast"), Map.entry("::ffff:10.0.0.1", "private network"));
        refused.forEach((literal, kind) -> assertThat(TargetPolicy.privateKind(address(literal))).as(literal).contains(kind));
        for (String open : new String[] {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "11.0.0.1"}) {
            assertThat(TargetPolicy.privateKind(address(open))).as(open).isNull();
        }
    }

    @Test
    void aHostIsJudgedByWhatItResolvesToEachTime() {
        Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
        dns.put("hooks.example.com", new InetAddress[] {address("93.184.215.14")});
        TargetPolicy policy = new TargetPolicy(false, host -> {
            InetAddress[] answer = dns.get(host);
            if (answer == null) {
                throw new UnknownHostException(host);
            }
            return answer;
        });
        URI target = policy.check("https://hooks.example.com/tedee");
        assertThat(policy.refusal(target)).isEmpty();

        dns.put("hooks.example.com", new InetAddress[] {address("93.184.215.14"), address("10.0.0.7")});

        assertThat(policy.refusal(target)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("hooks.example.com resolves to 10.0.0.7").contains("--allow-private-webhook-targets"));
        assertThatThrownBy(() -> policy.check("https://nowhere.example.com/")).hasMessageContaining("does not resolve");
    }

    @Test
    void allowedPrivateTargetsAreNotEvenResolved() {
        TargetPolicy policy = new TargetPolicy(true, host -> {
            throw new AssertionError("resolved " + host);
        });

        assertThat(policy.check("http://10.0.0.7:8080/hooks")).hasHost("10.0.0.7");
        assertThatThrownBy(() -> policy.check("gopher://10.0.0.7/")).isInstanceOf(WebhookEndpointException.class)
                .hasMessageContaining("http:// or https://");
    }
}
