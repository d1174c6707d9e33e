package io.tedeesync.simulator.internal;

import java.util.List;

/**
 * The HTML of the simulator's sign-in: the page that offers its accounts, and the page that refuses
 * a request it cannot answer. Minimal on purpose (no script, no style): a browser test finds the
 * buttons by id, {@code sign-in-<account>} and {@code deny}. Everything echoed is escaped. Stateless.
 */
final class SignInPage {

    static final String TITLE = "Sign in to Tedee (simulator)";

    private SignInPage() {}

    /**
     * The sign-in form: one submit button per account and a cancel button, the request's parameters
     * in hidden fields, posted back to the path the page was served from.
     */
    static String offer(AuthorizationRequest request, List<String> accounts) {
        StringBuilder html = start(TITLE);
        html.append("<p>The application <strong>").append(escape(request.clientId()))
                .append("</strong> asks to use your Tedee account");
        if (request.scope() != null) {
            html.append(" for: <code>").append(escape(request.scope())).append("</code>");
        }
        html.append(".</p>\n");
        // A relative action: from .../oauth2/v2.0/authorize, with or without the policy segment, it is
        // that same path, without the query string (the parameters travel in the form).
        html.append("<form method=\"post\" action=\"authorize\" accept-charset=\"utf-8\">\n");
        hidden(html, "response_type", "code");
        hidden(html, "client_id", request.clientId());
        hidden(html, "redirect_uri", request.redirectUri());
        if (request.scope() != null) {
            hidden(html, "scope", request.scope());
        }
        if (request.state() != null) {
            hidden(html, "state", request.state());
        }
        hidden(html, "code_challenge", request.challenge().challenge());
        hidden(html, "code_challenge_method", request.challenge().method().parameter());
        if (accounts.isEmpty()) {
            html.append("<p>The simulator has no accounts yet.</p>\n");
        }
        for (String account : accounts) {
            html.append("<p><button type=\"submit\" id=\"sign-in-").append(escape(account))
                    .append("\" name=\"account\" value=\"").append(escape(account)).append("\">Sign in as ")
                    .append(escape(account)).append("</button></p>\n");
        }
        html.append("<p><button type=\"submit\" id=\"deny\" name=\"deny\" value=\"1\">Cancel</button></p>\n");
        html.append("</form>\n");
        return end(html);
    }

    /** The page for a request that gets no redirect: what is wrong with it. */
    static String refused(String problem) {
        StringBuilder html = start("Sign-in refused (simulator)");
        html.append("<p id=\"problem\">").append(escape(problem)).append("</p>\n");
        html.append("<p>The request is not sent back to its redirect_uri: a request that may come from"
                + " anywhere must not be answered there (RFC 6749 &sect;4.1.2.1).</p>\n");
        return end(html);
    }

    private static StringBuilder start(String title) {
        return new StringBuilder(1024)
                .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
    }

    private static String end(StringBuilder html) {
        return html.append("</body>\n</html>\n").toString();
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
                .append("\">\n");
    }

    /** Escapes text for an element or a double- or single-quoted attribute. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
