package io.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Asks the {@link AccessPolicy} before any handler runs. A handler that declares no
 * {@link Requires} verb is refused: a new endpoint is closed until someone says who may use it.
 */
@Component
class AccessInterceptor implements HandlerInterceptor {

    private final AccessPolicy policy;

    AccessInterceptor(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true; // static resources are disabled; nothing else reaches here
        }
        Requires requires = method.getMethodAnnotation(Requires.class);
        if (requires == null) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "this endpoint is not open to anyone");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> vars = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Map<String, String> v = vars == null ? Map.of() : vars;
        String resource = requires.resource().isEmpty() ? v.get("plural") : requires.resource();
        AccessRequest ask = new AccessRequest(RequestContext.of(request), requires.value(), resource,
                v.get("ns"), v.get("name"));
        return switch (policy.decide(ask)) {
            case AccessPolicy.Allow allow -> true;
            case AccessPolicy.Unauthenticated u -> throw AuthenticationFilter.authenticationProblem(request);
            case AccessPolicy.Deny deny when deny.hide() -> throw ApiProblem.notFound("not found");
            case AccessPolicy.Deny deny -> throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", deny.reason());
        };
    }
}
