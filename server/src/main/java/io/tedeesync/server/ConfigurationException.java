package io.tedeesync.server;

/** The service cannot start as configured: the message says what to change (no secret in it). */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
