/**
 * Not API: the simulator's insides. {@code World} holds the state (accounts, locks, operations, the
 * timeline); {@code FrontDoor} and {@code Routes} serve HTTP; {@code WireJson} and {@code WireTime}
 * write the documented shapes; {@code RateLimiter}, {@code RequestLog}, {@code FaultQueue},
 * {@code TokenStore} and {@code WebhookDispatcher} each keep one concern.
 */
package io.tedeesync.simulator.internal;
