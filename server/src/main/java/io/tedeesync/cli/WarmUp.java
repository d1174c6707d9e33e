package io.tedeesync.cli;

import org.slf4j.LoggerFactory;

/**
 * Start-up work that the service needs soon but not first, done on a second thread while the main one
 * parses the command line and opens the store: the logging set-up, the JDK's default TLS context (the
 * HTTP client builds it, reading the CA certificates, even for a plain-http API), and the static
 * set-up of the web server's classes. Each is idempotent and thread-safe (class initialisation and
 * SLF4J's first call are), so whichever thread comes first does it and the other waits for it; nothing
 * here changes what the service does. Only for {@code serve} and {@code demo}, whose start matters.
 */
final class WarmUp {
    private static final String[] CLASSES = {
        "io.javalin.Javalin",
        "org.eclipse.jetty.server.Server",
        "org.eclipse.jetty.server.ServerConnector",
        "org.eclipse.jetty.server.HttpConnectionFactory",
        "org.eclipse.jetty.http.HttpParser",
        "org.eclipse.jetty.http.HttpGenerator",
        "org.eclipse.jetty.ee10.servlet.ServletContextHandler",
        "org.eclipse.jetty.ee10.servlet.ServletHolder",
        "io.javalin.http.servlet.JavalinServlet",
    };

    private WarmUp() {
    }

    static void startFor(String[] args) {
        if (args.length == 0 || !("serve".equals(args[0]) || "demo".equals(args[0]))) {
            return;
        }
        Thread thread = new Thread(WarmUp::run, "tedee-sync-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
    }

    private static void run() {
        try {
            LoggerFactory.getILoggerFactory();
            javax.net.ssl.SSLContext.getDefault();
            ClassLoader loader = WarmUp.class.getClassLoader();
            for (String name : CLASSES) {
                Class.forName(name, true, loader);
            }
        } catch (Exception | LinkageError e) {
            // Only a head start: whatever failed here is done, and reported, where it is needed.
        }
    }
}
