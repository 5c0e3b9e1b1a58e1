package io.warden.server.identity;

import io.warden.api.FieldError;
import io.warden.api.Kinds;
import io.warden.api.Resource;
import io.warden.server.WardenProperties;
import io.warden.server.resources.Resources;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.AuthenticationFilter;
import io.warden.server.web.Caller;
import io.warden.server.web.JsonBodies;
import io.warden.server.web.RequestContext;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Setup, login and logout, users (admin) and API tokens. */
@RestController
class IdentityController {

    private final Bootstrap bootstrap;
    private final Accounts accounts;
    private final Credentials credentials;
    private final RoleBasedAccess access;
    private final Resources resources;
    private final JsonBodies bodies;
    private final boolean tls;
    private final String sessionCookie;

    IdentityController(Bootstrap bootstrap, Accounts accounts, Credentials credentials, RoleBasedAccess access,
            Resources resources, JsonBodies bodies, CredentialAuthenticator authenticator,
            WardenProperties props) {
        this.bootstrap = bootstrap;
        this.accounts = accounts;
        this.credentials = credentials;
        this.access = access;
        this.resources = resources;
        this.bodies = bodies;
        this.tls = props.tls().enabled();
        this.sessionCookie = authenticator.sessionCookieName();
    }

    private record Body(JsonNode node) {
        String text(String field) {
            JsonNode v = node.get(field);
            if (v != null && !v.isNull() && !v.isString()) {
                throw ApiProblem.invalid("Invalid request", List.of(new FieldError(field, "must be a string")));
            }
            return v == null || v.isNull() ? null : v.asString();
        }

        char[] secret(String field) {
            String s = text(field);
            return s == null ? null : s.toCharArray();
        }
    }

    private Body body(byte[] raw, String contentType) {
        JsonNode node = bodies.parse(raw, contentType);
        if (!node.isObject()) {
            throw ApiProblem.badRequest("the body must be a JSON object");
        }
        return new Body(node);
    }

    // --- bootstrap, login, logout -------------------------------------------------------------

    private record LoggedIn(Body body, User user) {
    }

    /** A username and password from the body, checked with backoff per client address. */
    private LoggedIn passwordLogin(byte[] raw, String contentType, HttpServletRequest request) {
        Body b = body(raw, contentType);
        return new LoggedIn(b, accounts.login(RequestContext.of(request), b.text("username"), b.secret("password")));
    }

    @Requires(Verb.PUBLIC)
    @PostMapping("/v1/setup")
    ResponseEntity<Map<String, String>> setup(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Body b = body(raw, contentType);
        var admin = bootstrap.complete(RequestContext.of(request), b.text("token"), b.text("username"), b.secret("password"));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("username", admin.username()));
    }

    @Requires(Verb.PUBLIC)
    @PostMapping("/v1/auth/login")
    ResponseEntity<Map<String, Object>> login(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        User user = passwordLogin(raw, contentType, request).user();
        Credentials.NewSession session = credentials.openSession(user);
        Duration maxAge = Duration.between(accounts.now(), session.expiresAt());
        ResponseCookie cookie = ResponseCookie.from(sessionCookie, session.cookieValue())
                .httpOnly(true).secure(tls).sameSite("Strict").path("/").maxAge(maxAge).build();
        ResponseCookie csrf = ResponseCookie.from(AuthenticationFilter.CSRF_COOKIE, session.csrfToken())
                .httpOnly(false).secure(tls).sameSite("Strict").path("/").maxAge(maxAge).build();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.SET_COOKIE, csrf.toString())
                .body(Map.of("username", user.username(), "expiresAt", session.expiresAt().toString()));
    }

    @Requires(Verb.PUBLIC)
    @PostMapping("/v1/auth/token")
    ResponseEntity<Map<String, Object>> personalToken(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        LoggedIn in = passwordLogin(raw, contentType, request);
        Body b = in.body();
        User user = in.user();
        Credentials.IssuedToken issued = credentials.issue(RequestContext.of(request), user.id(), user.username(),
                b.text("name"), true, null, null, b.text("ttl"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.token());
        out.put("name", issued.stored().name());
        out.put("expiresAt", issued.stored().expiresAt().toString());
        return ResponseEntity.status(HttpStatus.CREATED).body(out);
    }

    @Requires(Verb.SELF)
    @PostMapping("/v1/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        switch (caller.credential()) {
            case Caller.Credential.Session s -> credentials.closeSession(RequestContext.of(request), s.idHash());
            case Caller.Credential.PersonalToken t -> credentials.revoke(RequestContext.of(request),
                    credentials.token(t.id()).orElseThrow(ApiProblem::unauthenticated));
            case Caller.Credential.ScopedToken t ->
                    throw ApiProblem.badRequest("a scoped token is revoked with DELETE /v1/tokens/{id}");
            case Caller.Credential.WorkerToken w ->
                    throw ApiProblem.badRequest("a worker credential is revoked by registering the worker again or deleting it");
            case Caller.Credential.None n -> throw ApiProblem.unauthenticated();
        }
        ResponseCookie gone = ResponseCookie.from(sessionCookie, "").httpOnly(true).secure(tls).sameSite("Strict")
                .path("/").maxAge(0).build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, gone.toString()).build();
    }

    @Requires(Verb.SELF)
    @GetMapping("/v1/auth/whoami")
    Map<String, Object> whoami(HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        Map<String, Object> out = new LinkedHashMap<>();
        boolean scoped = caller.credential() instanceof Caller.Credential.ScopedToken;
        out.put("kind", scoped ? "token" : "user");
        out.put("name", switch (caller.credential()) {
            case Caller.Credential.ScopedToken t -> t.name();
            default -> caller.username();
        });
        out.put("user", caller.username());
        out.put("via", caller.via());
        Set<String> cluster = access.rolesOf(caller, null);
        out.put("clusterRoles", List.copyOf(cluster));
        List<Map<String, String>> bindings = new ArrayList<>();
        for (Resource ns : resources.all(Kinds.NAMESPACE, "")) {
            String name = ns.metadata().name();
            for (String role : access.rolesOf(caller, name)) {
                if (!cluster.contains(role)) {
                    bindings.add(Map.of("namespace", name, "role", role));
                }
            }
        }
        out.put("bindings", bindings);
        return out;
    }

    @Requires(Verb.SELF)
    @PostMapping("/v1/auth/password")
    ResponseEntity<Void> changePassword(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        if (caller.credential() instanceof Caller.Credential.ScopedToken) {
            throw ApiProblem.forbidden("a scoped token cannot change its owner's password");
        }
        Body b = body(raw, contentType);
        accounts.changePassword(RequestContext.of(request), caller.userId(), b.secret("currentPassword"),
                b.secret("newPassword"));
        return ResponseEntity.noContent().build();
    }

    // --- users (admin) ------------------------------------------------------------------------

    @Requires(value = Verb.LIST, resource = "users")
    @GetMapping("/v1/users")
    Map<String, Object> users() {
        return Map.of("items", accounts.list());
    }

    @Requires(value = Verb.CREATE, resource = "users")
    @PostMapping("/v1/users")
    ResponseEntity<Accounts.UserView> createUser(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Body b = body(raw, contentType);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(accounts.createUser(RequestContext.of(request), b.text("username"), b.secret("password")));
    }

    @Requires(value = Verb.GET, resource = "users")
    @GetMapping("/v1/users/{username}")
    Accounts.UserView user(@PathVariable String username) {
        return accounts.get(username);
    }

    @Requires(value = Verb.UPDATE, resource = "users")
    @PostMapping("/v1/users/{username}/disable")
    Accounts.UserView disable(@PathVariable String username, HttpServletRequest request) {
        return accounts.setDisabled(RequestContext.of(request), username, true);
    }

    @Requires(value = Verb.UPDATE, resource = "users")
    @PostMapping("/v1/users/{username}/enable")
    Accounts.UserView enable(@PathVariable String username, HttpServletRequest request) {
        return accounts.setDisabled(RequestContext.of(request), username, false);
    }

    @Requires(value = Verb.UPDATE, resource = "users")
    @PostMapping("/v1/users/{username}/password")
    ResponseEntity<Void> resetPassword(@PathVariable String username, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Body b = body(raw, contentType);
        accounts.resetPassword(RequestContext.of(request), username, b.secret("password"));
        return ResponseEntity.noContent().build();
    }

    @Requires(value = Verb.DELETE, resource = "users")
    @DeleteMapping("/v1/users/{username}")
    ResponseEntity<Void> deleteUser(@PathVariable String username, HttpServletRequest request) {
        accounts.delete(RequestContext.of(request), username);
        return ResponseEntity.noContent().build();
    }

    // --- API tokens ---------------------------------------------------------------------------

    @Requires(Verb.SELF)
    @PostMapping("/v1/tokens")
    ResponseEntity<Map<String, Object>> createToken(@RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        if (caller.credential() instanceof Caller.Credential.ScopedToken) {
            throw ApiProblem.forbidden("a scoped token cannot create tokens");
        }
        Body b = body(raw, contentType);
        String role = b.text("role");
        String namespace = b.text("namespace");
        if (role == null || resources.find(Kinds.ROLE, "", role).isEmpty()) {
            throw ApiProblem.invalid("Invalid token", List.of(new FieldError("role", "no such role")));
        }
        boolean clusterAdmin = access.allows(caller, null, "tokens", "create");
        if (namespace == null) {
            if (!clusterAdmin) {
                throw ApiProblem.forbidden("only admins create cluster-wide tokens; give a namespace");
            }
        } else {
            Set<String> held = access.rolesOf(caller, namespace);
            if (held.isEmpty()) {
                throw ApiProblem.notFound("namespace '" + namespace + "' not found");
            }
            if (resources.find(Kinds.NAMESPACE, "", namespace).isEmpty()) {
                throw ApiProblem.notFound("namespace '" + namespace + "' not found");
            }
            if (!held.contains(role) && !clusterAdmin) {
                throw ApiProblem.forbidden("you can only grant a role you hold in that namespace");
            }
        }
        Credentials.IssuedToken issued = credentials.issue(RequestContext.of(request), caller.userId(),
                caller.username(), b.text("name"), false, role, namespace, b.text("ttl"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.token());
        out.putAll(view(issued.stored()));
        return ResponseEntity.status(HttpStatus.CREATED).body(out);
    }

    @Requires(Verb.SELF)
    @GetMapping("/v1/tokens")
    Map<String, Object> tokens(@RequestParam(defaultValue = "false") boolean all, HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        if (all && !access.allows(caller, null, "tokens", "list")) {
            throw ApiProblem.forbidden("only admins list everyone's tokens");
        }
        return Map.of("items", credentials.tokens(all ? null : caller.userId()).stream().map(IdentityController::view).toList());
    }

    @Requires(Verb.SELF)
    @DeleteMapping("/v1/tokens/{id}")
    ResponseEntity<Void> revokeToken(@PathVariable String id, HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        ApiToken token = credentials.token(id)
                .filter(t -> t.ownerId().equals(caller.userId()) && !(caller.credential() instanceof Caller.Credential.ScopedToken)
                        || access.allows(caller, null, "tokens", "delete"))
                .orElseThrow(() -> ApiProblem.notFound("token not found"));
        credentials.revoke(RequestContext.of(request), token);
        return ResponseEntity.noContent().build();
    }

    private static Map<String, Object> view(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("owner", t.ownerName());
        m.put("personal", t.personal());
        m.put("role", t.role());
        m.put("namespace", t.namespace());
        m.put("createdAt", t.createdAt().toString());
        m.put("expiresAt", t.expiresAt().toString());
        m.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("revoked", t.revokedAt() != null);
        return m;
    }

}
