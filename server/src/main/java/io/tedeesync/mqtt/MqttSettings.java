package io.tedeesync.mqtt;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the service publishes to MQTT. Immutable; {@link #toString()} never shows the password.
 *
 * @param url             the broker: {@code tcp://HOST[:PORT]} (default port 1883) or {@code ssl://HOST[:PORT]} (TLS, default 8883)
 * @param username        the broker user, or null for none
 * @param password        the broker password, or null (secret; needs a username)
 * @param topicPrefix     the root of the service's topics, e.g. {@code tedee-sync}: no wildcards, no leading or trailing {@code /}
 * @param discoveryPrefix Home Assistant's discovery prefix, e.g. {@code homeassistant}, or null for no discovery
 * @param commands        whether {@code <prefix>/<serial>/set} operates the locks (otherwise commands are refused)
 * @param recheckEvery    how often every lock is looked at again (staleness changes with time alone; a lock that left a
 *                        single instance is cleared then): {@link #DEFAULT_RECHECK}; shorter in tests
 */
public record MqttSettings(URI url, String username, String password, String topicPrefix, String discoveryPrefix, boolean commands,
        java.time.Duration recheckEvery) {
    public static final String DEFAULT_TOPIC_PREFIX = "tedee-sync";
    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    public static final java.time.Duration DEFAULT_RECHECK = java.time.Duration.ofSeconds(10);

    /** Every lock looked at again every {@link #DEFAULT_RECHECK}. */
    public MqttSettings(URI url, String username, String password, String topicPrefix, String discoveryPrefix, boolean commands) {
        this(url, username, password, topicPrefix, discoveryPrefix, commands, DEFAULT_RECHECK);
    }

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(recheckEvery, "recheckEvery");
        if (recheckEvery.toMillis() < 1) {
            throw new IllegalArgumentException("the MQTT recheck period must be at least 1 ms, was " + recheckEvery);
        }
        if (url.getRawUserInfo() != null || url.getRawAuthority() != null && url.getRawAuthority().contains("@")) { // said before the URL is shown anywhere: it may carry a password
            throw new IllegalArgumentException("the MQTT URL must not carry credentials: give --mqtt-username and TEDEE_MQTT_PASSWORD");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("ssl") || url.isOpaque() || hostOf(url) == null) {
            throw new IllegalArgumentException("the MQTT URL must be tcp://HOST:PORT or ssl://HOST:PORT, was " + url);
        }
        if (!url.getRawPath().isEmpty() && !url.getRawPath().equals("/") || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the MQTT URL must be tcp://HOST:PORT or ssl://HOST:PORT, without a path, query or"
                    + " fragment, was " + url);
        }
        if (portOf(url) > 65535) {
            throw new IllegalArgumentException("the MQTT port must be at most 65535, was " + portOf(url));
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("an MQTT password needs a username (--mqtt-username)");
        }
        checkPrefix(topicPrefix, "topic prefix");
        if (discoveryPrefix != null) {
            checkPrefix(discoveryPrefix, "discovery prefix");
        }
    }

    /** With the default prefixes, discovery on, commands off, no credentials. */
    public static MqttSettings of(URI url) {
        return new MqttSettings(url, null, null, DEFAULT_TOPIC_PREFIX, DEFAULT_DISCOVERY_PREFIX, false);
    }

    public MqttSettings withCredentials(String user, String secret) {
        return new MqttSettings(url, user, secret, topicPrefix, discoveryPrefix, commands, recheckEvery);
    }

    public MqttSettings withTopicPrefix(String prefix) {
        return new MqttSettings(url, username, password, prefix, discoveryPrefix, commands, recheckEvery);
    }

    /** Null turns discovery off. */
    public MqttSettings withDiscoveryPrefix(String prefix) {
        return new MqttSettings(url, username, password, topicPrefix, prefix, commands, recheckEvery);
    }

    public MqttSettings withCommands(boolean on) {
        return new MqttSettings(url, username, password, topicPrefix, discoveryPrefix, on, recheckEvery);
    }

    public MqttSettings withRecheckEvery(java.time.Duration period) {
        return new MqttSettings(url, username, password, topicPrefix, discoveryPrefix, commands, period);
    }

    public boolean tls() {
        return url.getScheme().equalsIgnoreCase("ssl");
    }

    /** The host as HiveMQ takes it: an IPv6 address without its brackets. */
    public String host() {
        return hostOf(url);
    }

    public int port() {
        int port = portOf(url);
        return port >= 0 ? port : tls() ? 8883 : 1883;
    }

    /**
     * {@link URI#getHost()} is null for a name it does not take as a host name, such as Docker Compose's
     * {@code mqtt_broker} (an {@code _}); then the authority ({@code HOST[:PORT]}) says it. Null when there is none.
     */
    private static String hostOf(URI url) {
        String host = url.getHost();
        if (host == null) {
            String authority = url.getRawAuthority();
            if (authority == null || authority.isEmpty() || authority.startsWith("[")) {
                return null;
            }
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            return host.isEmpty() || !host.matches("[A-Za-z0-9._-]+") ? null : host;
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port, or -1 for none; from the authority too when {@link URI} did not take the host (see {@link #hostOf}). */
    private static int portOf(URI url) {
        if (url.getHost() != null || url.getRawAuthority() == null) {
            return url.getPort();
        }
        String authority = url.getRawAuthority();
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon == authority.length() - 1) {
            return -1;
        }
        try {
            return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the MQTT port must be a number, was '" + authority.substring(colon + 1) + "'");
        }
    }

    private static void checkPrefix(String prefix, String what) {
        if (prefix == null || prefix.isBlank() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("+")
                || prefix.contains("#") || prefix.contains("//")) {
            throw new IllegalArgumentException("the MQTT " + what + " must be a topic without wildcards (+, #) and without a leading,"
                    + " trailing or double '/', was '" + prefix + "'");
        }
    }

    @Override
    public String toString() {
        return "MqttSettings[url=" + url + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", topicPrefix=" + topicPrefix + ", discoveryPrefix=" + (discoveryPrefix == null ? "off" : discoveryPrefix)
                + ", commands=" + commands + ", recheckEvery=" + recheckEvery + "]";
    }
}
