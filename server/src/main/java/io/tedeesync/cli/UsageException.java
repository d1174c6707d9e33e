package io.tedeesync.cli;

/** A flag or configuration value that is wrong in a way picocli cannot see (e.g. no credentials at all): exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
