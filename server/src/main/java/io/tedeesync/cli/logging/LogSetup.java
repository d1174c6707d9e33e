package io.tedeesync.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The command line's log, set up in code (logback finds this class through {@code META-INF/services}):
 * stderr, one line each, {@code HH:mm:ss.SSS LEVEL logger - message}. The service's own lines (loggers
 * under {@code io.tedeesync} and {@code tedee-sync}: one per account at start, one per real change) at
 * INFO, or at {@code TEDEE_SYNC_LOG_LEVEL}; the libraries' at WARN unless asked for by name in
 * {@code TEDEE_SYNC_LOG_LEVELS} (e.g. {@code org.eclipse.jetty=DEBUG,com.zaxxer=INFO}). Every line, from
 * any logger at any level, goes through {@link RedactingLayout}, so no secret reaches the log even when
 * a library dumps requests.
 *
 * <p>It was a {@code logback.xml}; reading that took logback's XML configurator, a SAX parser and a few
 * hundred classes, a tenth of the service's start. A configuration of your own still wins: with
 * {@code -Dlogback.configurationFile=...} this steps aside. Settings are read as the XML's
 * {@code ${NAME:-default}} read them: a system property, else the environment. Public only because
 * logback instantiates it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        // Level.toLevel as the XML's level attribute: a word it does not know means DEBUG.
        Level own = Level.toLevel(setting("TEDEE_SYNC_LOG_LEVEL", "INFO"));
        context.getLogger("io.tedeesync").setLevel(own);
        context.getLogger("tedee-sync").setLevel(own);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);

        NamedLoggerLevels named = new NamedLoggerLevels();
        named.setContext(context);
        named.setLevels(setting("TEDEE_SYNC_LOG_LEVELS", ""));
        named.start(); // after the levels above, so that a logger named there wins
        context.addListener(named);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String setting(String name, String otherwise) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null ? otherwise : value;
    }
}
