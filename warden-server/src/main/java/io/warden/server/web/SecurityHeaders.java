package io.warden.server.web;

import java.util.function.BiConsumer;

/** The security headers every answer carries, set from the filter and from the container's error valve. */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static void apply(BiConsumer<String, String> setHeader, boolean tls) {
        setHeader.accept("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
        setHeader.accept("X-Content-Type-Options", "nosniff");
        setHeader.accept("Referrer-Policy", "no-referrer");
        setHeader.accept("X-Frame-Options", "DENY");
        setHeader.accept("Cache-Control", "no-store");
        setHeader.accept("Cross-Origin-Resource-Policy", "same-origin");
        if (tls) {
            setHeader.accept("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }
}
