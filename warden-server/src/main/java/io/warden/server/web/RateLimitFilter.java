package io.warden.server.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.warden.server.WardenProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token-bucket rate limits (Bucket4j): per client address on the endpoints that take secrets
 * (setup, login, token exchange), per caller on everything else. Over the limit: 429 with
 * Retry-After. Buckets live in this process, in a bounded map (the least recently used go first).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 40)
class RateLimitFilter extends OncePerRequestFilter {

    static final Set<String> CREDENTIAL_PATHS = Set.of("/v1/setup", "/v1/auth/login", "/v1/auth/token");
    private static final int MAX_BUCKETS = 50_000;

    private final ClientAddress clients;
    private final Problems problems;
    private final TimeMeter time;
    private final WardenProperties.RateLimit credentialLimit;
    private final WardenProperties.RateLimit apiLimit;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_BUCKETS;
        }
    };

    RateLimitFilter(WardenProperties props, ClientAddress clients, Problems problems, Clock clock) {
        this.clients = clients;
        this.problems = problems;
        this.credentialLimit = props.edge().credentialRateLimit();
        this.apiLimit = props.edge().apiRateLimit();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key;
        WardenProperties.RateLimit limit;
        // The servlet path is decoded and stripped of ;parameters, as the dispatcher routes it:
        // /v1/auth/%6Cogin;x=1 must count against the login limit like /v1/auth/login.
        if (CREDENTIAL_PATHS.contains(routedPath(request))) {
            key = "ip:" + ClientAddress.rateKey(clients.of(request));
            limit = credentialLimit;
        } else {
            Caller caller = AuthenticationFilter.callerOf(request);
            key = caller.authenticated() ? "user:" + caller.username() + ":" + caller.via()
                    : "ip:" + ClientAddress.rateKey(clients.of(request));
            limit = apiLimit;
        }
        ConsumptionProbe probe = bucket(key, limit).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            response.setHeader("Retry-After", Long.toString(seconds));
            problems.write(response, problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                    "slow down; retry after " + seconds + " s", request));
            return;
        }
        chain.doFilter(request, response);
    }

    static String routedPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private Bucket bucket(String key, WardenProperties.RateLimit limit) {
        String fullKey = limit == credentialLimit ? "c/" + key : "a/" + key;
        synchronized (buckets) {
            return buckets.computeIfAbsent(fullKey, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.burst())
                            .refillGreedy(limit.perMinute(), Duration.ofMinutes(1)).build())
                    .withCustomTimePrecision(time)
                    .build());
        }
    }
}
