package io.tedeesync.simulator.internal;

/** A request the simulator cannot make sense of: answered 400 with the message. */
final class BadRequest extends RuntimeException {

    BadRequest(String message) {
        super(message);
    }
}
