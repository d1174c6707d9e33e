package io.tedeesync.outbound;

/**
 * An endpoint just created, or whose secret was just rotated, with its signing secret: the only time the
 * secret is shown. Immutable; {@link #toString()} hides the secret.
 */
public record CreatedEndpoint(EndpointView view, String secret) {
    @Override
    public String toString() {
        return "CreatedEndpoint[" + view + ", secret=hidden]";
    }
}
