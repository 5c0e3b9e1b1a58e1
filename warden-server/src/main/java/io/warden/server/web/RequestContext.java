package io.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who asked, for the audit record of what a facade does on a request's behalf: the caller, the
 * request id and the client address. {@link #SYSTEM} stands for the server's own work.
 */
public record RequestContext(Caller caller, String requestId, String clientAddress) {

    public static final RequestContext SYSTEM = new RequestContext(Caller.ANONYMOUS, null, null);

    public static RequestContext of(HttpServletRequest request) {
        Object client = request.getAttribute(AuthenticationFilter.CLIENT_ADDRESS);
        return new RequestContext(AuthenticationFilter.callerOf(request), RequestIds.of(request),
                client == null ? request.getRemoteAddr() : client.toString());
    }

    /** {@code user}, {@code token}, {@code worker}, {@code anonymous} or {@code system}. */
    public String actorKind() {
        if (this == SYSTEM) {
            return "system";
        }
        return switch (caller.credential()) {
            case Caller.Credential.None n -> "anonymous";
            case Caller.Credential.ScopedToken t -> "token";
            case Caller.Credential.WorkerToken w -> "worker";
            default -> "user";
        };
    }

    /** The user name, the token name for a scoped token, {@code namespace/worker} for a worker. */
    public String actorId() {
        return switch (caller.credential()) {
            case Caller.Credential.ScopedToken t -> t.name();
            case Caller.Credential.WorkerToken w -> w.namespace() + "/" + w.worker();
            default -> caller.username();
        };
    }
}
