package io.tedeesync.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.LifeCycle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets the levels of loggers named in one setting, {@code logger=LEVEL} pairs separated by commas, e.g.
 * {@code org.eclipse.jetty=DEBUG,com.zaxxer=INFO} ({@code TEDEE_SYNC_LOG_LEVELS}, see {@link LogSetup}),
 * so that a library's detail can be asked for by name while everything else stays where it is.
 *
 * <p>The levels are set when the logging context starts, after the configuration file's own loggers, so
 * that a name given here wins. A malformed pair is skipped with one line on stderr: a logback warning
 * would print logback's whole configuration status, and on stdout. Public only because logback
 * instantiates it; configured once, at start.
 */
public final class NamedLoggerLevels extends ContextAwareBase implements LoggerContextListener, LifeCycle {
    private String setting = "";
    private boolean started;
    private boolean reported;

    /** The {@code logger=LEVEL,...} pairs; blank: nothing to change. */
    public void setLevels(String levels) {
        this.setting = levels == null ? "" : levels;
    }

    @Override
    public void start() {
        apply((LoggerContext) getContext()); // and again at onStart, after the file's loggers
        started = true;
    }

    @Override
    public void onStart(LoggerContext context) {
        apply(context);
    }

    private void apply(LoggerContext context) {
        Map<String, Level> levels = new LinkedHashMap<>();
        StringBuilder skipped = new StringBuilder();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? "" : pair.substring(0, equals).trim();
            Level level = equals < 0 ? null : Level.toLevel(pair.substring(equals + 1).trim(), null);
            if (name.isEmpty() || level == null) {
                skipped.append(skipped.length() == 0 ? "" : ", ").append('\'').append(pair.trim()).append('\'');
            } else {
                levels.put(name, level);
            }
        }
        levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        if (skipped.length() > 0 && !reported) {
            reported = true;
            System.err.println("tedee-sync: TEDEE_SYNC_LOG_LEVELS: " + skipped
                    + " is not logger=LEVEL (TRACE, DEBUG, INFO, WARN, ERROR, OFF); skipped");
        }
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    @Override
    public boolean isResetResistant() {
        return false;
    }

    @Override
    public void onReset(LoggerContext context) {
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
    }
}
