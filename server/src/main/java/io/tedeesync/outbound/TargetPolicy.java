package io.tedeesync.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go (against server-side request forgery): http(s) URLs with a host, no user info or
 * fragment, and, unless private targets are allowed, a host whose every address is public: not loopback,
 * any-local, link-local (169.254/16, fe80::/10, where cloud metadata services answer), site-local (10/8,
 * 172.16/12, 192.168/16), unique-local (fc00::/7), shared (CGNAT, 100.64/10), "this network" (0/8),
 * broadcast or multicast. Checked when an endpoint is created or changed, and again on the addresses the
 * host resolves to before each attempt (a DNS answer may change; {@link TargetChecks} bounds and shares those
 * lookups). The HTTP client then resolves the host again itself: an answer that changes between the two (DNS
 * rebinding) is not caught. Thread-safe.
 */
final class TargetPolicy {
    /** Resolves a host name (the JDK's resolver; blocking). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final int MAX_URL_LENGTH = 2000;
    private static final String FLAG = "--allow-private-webhook-targets";

    private final boolean allowPrivate;
    private final Resolver resolver;

    TargetPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** With the JDK's resolver. */
    TargetPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    /** Whether private targets are allowed (then nothing is resolved). */
    boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * The URL, parsed and allowed (for the API: resolves the host).
     *
     * @throws WebhookEndpointException {@code INVALID} for a malformed URL, {@code TARGET_REFUSED} for a private target
     */
    URI check(String url) {
        URI uri = parse(url);
        refusal(uri).ifPresent(reason -> {
            throw new WebhookEndpointException(WebhookEndpointException.Reason.TARGET_REFUSED, "url: " + reason);
        });
        return uri;
    }

    /** Why a delivery to {@code uri} must not be attempted now, if it must not (resolves the host: blocking). */
    Optional<String> refusal(URI uri) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = bareHost(uri);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String kind = privateKind(address);
            if (kind != null) {
                String shown = address.getHostAddress();
                return Optional.of((host.equalsIgnoreCase(shown) ? shown : host + " resolves to " + shown) + ", " + kind
                        + "; webhook targets on loopback or private networks are refused unless the service runs with " + FLAG);
            }
        }
        return Optional.empty();
    }

    /** Syntax only: an absolute http(s) URL with a host and neither user info nor fragment. */
    static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("url is required: an http(s) URL, e.g. https://example.com/hooks/tedee");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url must be http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("url needs a host name or address");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not carry a user or password: GET /api/webhook-endpoints shows URLs, to the read-only "
                    + "token too; receivers tell our deliveries by their webhook-signature (verify it)");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("url must not have a #fragment");
        }
        return uri;
    }

    /** The host without the brackets of an IPv6 literal. */
    private static String bareHost(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String privateKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        int first = bytes[0] & 0xff;
        int second = bytes.length > 1 ? bytes[1] & 0xff : 0;
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the any-local address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services answer)";
        }
        if (address.isSiteLocalAddress()) {
            return "a private network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address instanceof Inet6Address) {
            return (first & 0xfe) == 0xfc ? "a unique-local address (fc00::/7)" : null;
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "a shared address (100.64.0.0/10, carrier-grade NAT)";
        }
        if (first == 0) {
            return "a \"this network\" address (0.0.0.0/8)";
        }
        if (first == 255 && second == 255 && (bytes[2] & 0xff) == 255 && (bytes[3] & 0xff) == 255) {
            return "the broadcast address";
        }
        return null;
    }

    private static WebhookEndpointException invalid(String message) {
        return new WebhookEndpointException(WebhookEndpointException.Reason.INVALID, message);
    }
}
