package io.warden.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * No HTTP answer at all: refused, unresolvable, timed out or cut off. Carries a short reason
 * instead of the JDK's nested exceptions, which often have no message of their own.
 */
final class UnreachableException extends RuntimeException {

    private final URI server;
    private final String reason;

    UnreachableException(URI server, String reason, Throwable cause) {
        super("cannot reach Warden at " + server + ": " + reason, cause);
        this.server = server;
        this.reason = reason;
    }

    static UnreachableException of(URI server, IOException e) {
        return new UnreachableException(server, reason(e), e);
    }

    URI server() {
        return server;
    }

    String reason() {
        return reason;
    }

    static String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for an answer";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof ConnectException c) {
                // HttpClient often wraps the socket's ConnectException in one without a message.
                String message = deepestConnectMessage(c);
                return message == null ? "connection refused" : message.toLowerCase(Locale.ROOT);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? e.getMessage() : root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT);
    }

    private static String deepestConnectMessage(ConnectException e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
