package io.tedeesync.cli.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A logback {@link PatternLayout} whose every line, message and throwable text included, has its secrets
 * replaced by {@code ***} (webhook path secret, personal keys, bearer tokens, token query parameters,
 * Jetty's raw buffer dumps). Public because {@link LogSetup} (and logback, from a {@code logback.xml}) instantiates it;
 * use it in your own logback configuration too. Thread-safe once started, like any logback layout.
 */
public final class RedactingLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return Redaction.redact(super.doLayout(event));
    }
}
