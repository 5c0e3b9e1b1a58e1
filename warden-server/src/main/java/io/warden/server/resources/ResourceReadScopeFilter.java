package io.warden.server.resources;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives each request one view of the resources ({@link ResourceCache}): the resourceVersion is
 * read once for the authentication, the authorization and the handler's own lookups. Runs before
 * authentication, which already reads resources (a worker credential's Worker).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ResourceReadScopeFilter extends OncePerRequestFilter {

    private final ResourceCache cache;

    ResourceReadScopeFilter(ResourceCache cache) {
        this.cache = cache;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        cache.openScope();
        try {
            chain.doFilter(request, response);
        } finally {
            cache.closeScope();
        }
    }
}
