/**
 * Not API: the simulator's insides. {@code World} holds the state (accounts, locks, operations, the
 * timeline); {@code FrontDoor} and {@code Routes} serve HTTP; {@code WireJson} and {@code WireTime}
 * write the documented shapes; {@code RateLimiter}, {@code RequestLog}, {@code FaultQueue},
 * {@code TokenStore}, {@code AuthorizationCodes} and {@code WebhookDispatcher} each keep one concern.
 * The OAuth code flow: {@code AuthorizeEndpoint} (the sign-in, with {@code AuthorizationRequest} and
 * {@code SignInPage}), {@code OAuthEndpoint} (the token grants), {@code CodeChallenge} (PKCE).
 */
package io.tedeesync.simulator.internal;
