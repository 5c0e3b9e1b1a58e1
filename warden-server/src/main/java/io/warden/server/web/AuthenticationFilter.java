package io.warden.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Establishes the {@link Caller} of every request and, for session (cookie) callers, checks the
 * CSRF token on every state-changing request: a cross-site form can make the browser send the
 * session cookie, but cannot read the token (given at login, also as the readable XSRF-TOKEN
 * cookie) to put it in the header. The token is derived from the session secret, so it cannot be
 * forged by planting cookies either.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
public class AuthenticationFilter extends OncePerRequestFilter {

    public static final String CSRF_COOKIE = "XSRF-TOKEN";
    public static final String CSRF_HEADER = "X-XSRF-TOKEN";
    private static final String CALLER = AuthenticationFilter.class.getName() + ".caller";
    private static final String AUTH_PROBLEM = AuthenticationFilter.class.getName() + ".problem";
    static final String CLIENT_ADDRESS = AuthenticationFilter.class.getName() + ".client";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final Authenticator authenticator;
    private final Problems problems;
    private final ClientAddress clients;

    AuthenticationFilter(Authenticator authenticator, Problems problems, ClientAddress clients) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.clients = clients;
    }

    /** The caller of a request that went through this filter; anonymous otherwise. */
    public static Caller callerOf(HttpServletRequest request) {
        return request.getAttribute(CALLER) instanceof Caller c ? c : Caller.ANONYMOUS;
    }

    /** Why the credential a request carried was refused, if it carried a bad one. */
    static ApiProblem authenticationProblem(HttpServletRequest request) {
        return request.getAttribute(AUTH_PROBLEM) instanceof ApiProblem p ? p : ApiProblem.unauthenticated();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(CLIENT_ADDRESS, clients.of(request));
        Caller caller;
        try {
            caller = authenticator.authenticate(request);
        } catch (ApiProblem p) {
            // Continue as anonymous so the rate limit (per client address for anonymous callers)
            // applies to credential guessing too; the access check answers 401 with this problem.
            request.setAttribute(AUTH_PROBLEM, p);
            caller = Caller.ANONYMOUS;
        }
        if (caller.credential() instanceof Caller.Credential.Session session && !SAFE.contains(request.getMethod())
                && !csrfTokenMatches(request, session.csrfToken())) {
            problems.write(response, problems.of(ApiProblem.forbidden(
                    "missing or wrong " + CSRF_HEADER + " header (copy the " + CSRF_COOKIE + " cookie)"), request));
            return;
        }
        request.setAttribute(CALLER, caller);
        chain.doFilter(request, response);
    }

    private static boolean csrfTokenMatches(HttpServletRequest request, String expected) {
        String header = request.getHeader(CSRF_HEADER);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }
}
