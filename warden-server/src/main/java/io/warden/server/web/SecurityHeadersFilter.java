package io.warden.server.web;

import io.warden.server.WardenProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every response, and CORS: cross-origin requests are refused unless their
 * origin is configured ({@code warden.edge.cors-allowed-origins}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class SecurityHeadersFilter extends OncePerRequestFilter {

    private final boolean tls;
    private final Set<String> allowedOrigins;
    private final Problems problems;
    private final boolean loopbackOnly;

    SecurityHeadersFilter(WardenProperties props, Problems problems) {
        this.tls = props.tls().enabled();
        this.loopbackOnly = isLoopbackHost(props.bind());
        this.allowedOrigins = Set.copyOf(props.edge().corsAllowedOrigins());
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityHeaders.apply(response::setHeader, tls);
        if (loopbackOnly && !isLoopbackHost(request.getHeader("Host"))) {
            // DNS rebinding: a web page whose name now points at 127.0.0.1 is not our client.
            problems.write(response, problems.of(HttpStatus.MISDIRECTED_REQUEST, "misdirected", "Misdirected request",
                    "this server answers to localhost, 127.0.0.1 and [::1] only", request));
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(request, origin)) {
            if (!allowedOrigins.contains(origin)) {
                problems.write(response, problems.of(HttpStatus.FORBIDDEN, "cors", "Cross-origin request refused",
                        "this origin is not allowed", request));
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
            response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, X-XSRF-TOKEN");
            response.setHeader("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE");
            if ("OPTIONS".equals(request.getMethod())) {
                response.setStatus(204);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** A Host header (or bind address) naming this machine's loopback, with or without a port. */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        if (h.equals("::1")) {
            return true;
        }
        int colon = h.indexOf(':');
        String name = colon >= 0 ? h.substring(0, colon) : h;
        return name.equals("localhost") || name.startsWith("127.") && ClientAddress.literal(name) != null;
    }

    private static boolean sameOrigin(HttpServletRequest request, String origin) {
        String host = request.getHeader("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }
}
